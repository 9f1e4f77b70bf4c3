package io.pulse.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pulse.api.v1.CreateSandboxRequest;
import io.pulse.api.v1.CreateSandboxResponse;
import io.pulse.api.v1.InstanceKind;
import io.pulse.api.v1.RegisterWorkerRequest;
import io.pulse.api.v1.SandboxSpec;
import io.pulse.api.v1.SandboxState;
import io.pulse.api.v1.WorkerServiceGrpc;
import io.pulse.common.admin.Readiness;
import io.pulse.common.grpc.GrpcChannels;
import io.pulse.common.net.HostPort;
import io.pulse.worker.sandbox.SandboxKind;
import io.pulse.worker.sandbox.process.ProcessRuntimeSettings;
import io.pulse.worker.sandbox.process.ProcessSandboxRuntime;
import io.pulse.worker.testing.FakeControlPlane;
import io.pulse.worker.testing.Processes;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerDaemonTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final List<String> PYTHON =
      List.of("sh", "-c", Processes.writeOwnPid("pid") + "; exec python3 -m http.server ${PORT} --bind 127.0.0.1");

  @TempDir Path dataDir;
  private final Vertx vertx = Vertx.vertx();
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Readiness readiness = new Readiness();
  private FakeControlPlane controlPlane;
  private WorkerConfig config;

  @BeforeEach
  void setUp() {
    controlPlane = FakeControlPlane.start(0, 1000, 50);
    config = WorkerConfig.defaults()
        .withWorkerId("w-test")
        .withGrpcBind(new HostPort("127.0.0.1", 0))
        .withControlPlane(List.of(controlPlane.address()))
        .withDataDir(dataDir)
        .withPortRange(21_400, 21_499)
        .withStopGraceMs(300)
        .withCapacity(4000, 4096);
  }

  @AfterEach
  void tearDown() throws Exception {
    controlPlane.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void start_registersServesHeartbeatsAndCloseDeletesEverything() throws Exception {
    WorkerDaemon daemon = start(config);
    assertThat(readiness.notReadyReasons()).isEmpty();
    RegisterWorkerRequest registration = controlPlane.registrations.getFirst();
    assertThat(registration.getWorker().getWorkerId()).isEqualTo("w-test");
    assertThat(registration.getWorker().getAddress()).isEqualTo("127.0.0.1:" + daemon.grpcPort());
    assertThat(registration.getWorker().getRuntime()).isEqualTo("process");
    // 4000m overcommitted 4x (the default) is 16000m schedulable; 20 % of it (the default emergency reserve) is kept
    // back from Regular Instances and advertised as such. Memory is not overcommitted.
    assertThat(registration.getWorker().getCapacity().getCpuMillis()).isEqualTo(12_800);
    assertThat(registration.getWorker().getEmergencyReserve().getCpuMillis()).isEqualTo(3200);
    assertThat(registration.getWorker().getCapacity().getMemoryMib()).isEqualTo(4096 - 819);

    ManagedChannel channel = GrpcChannels.plaintext("127.0.0.1:" + daemon.grpcPort());
    long pid;
    try {
      WorkerServiceGrpc.WorkerServiceBlockingStub worker = WorkerServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(60, TimeUnit.SECONDS);
      CreateSandboxResponse created = worker.createSandbox(create("i-1", 1000));
      pid = Processes.readPid(dataDir.resolve("instances/i-1/pid"));
      assertThat(Processes.isRunning(pid)).isTrue();

      // Every heartbeat stamped at or above the creation's generation lists the sandbox.
      await().atMost(WAIT).until(() -> controlPlane.lastHeartbeat() != null
          && controlPlane.lastHeartbeat().getListingGeneration() >= created.getListingGeneration());
      assertThat(controlPlane.lastHeartbeat().getSandboxesList()).contains(created.getSandbox());
      assertThat(registration.getListingGeneration()).isPositive().isLessThan(created.getListingGeneration());
      assertThat(created.getSandbox().getState()).isEqualTo(SandboxState.READY);
      String metrics = scrape();
      assertThat(metrics).contains("pulse_worker_sandboxes{kind=\"regular\"} 1.0")
          .contains("pulse_worker_sandbox_creations_total{result=\"ok\"} 1.0")
          .contains("pulse_worker_sandbox_create_seconds_count 1")
          .contains("pulse_worker_sandbox_phase_seconds_count{phase=\"ready\"} 1");

      // The register answer carried epoch 1000: an older leader is refused.
      assertThatThrownBy(() -> worker.createSandbox(create("i-2", 999)))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
    } finally {
      GrpcChannels.close(channel);
    }

    daemon.close().await(30, TimeUnit.SECONDS);

    assertThat(Processes.isRunning(pid)).isFalse();
    assertThat(daemon.sandboxes()).isEmpty();
    assertThat(readiness.notReadyReasons()).containsExactly("worker: worker daemon closed");
    assertThat(accepts(daemon.grpcPort())).isFalse();
    assertThat(scrape()).doesNotContain("pulse_worker_");
    int heartbeats = controlPlane.heartbeats.size();
    await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> controlPlane.heartbeats.size() == heartbeats);
    daemon.close().await(5, TimeUnit.SECONDS);
  }

  @Test
  void start_registersWithTheSandboxesAPreviousRunLeftRunning() throws Exception {
    // A previous worker on this data dir that died without cleaning up.
    ProcessSandboxRuntime previous = new ProcessSandboxRuntime(
        new ProcessRuntimeSettings(dataDir, "127.0.0.1", 21_400, 21_499, 300, 20_000));
    previous.create("left-1", SandboxKind.REGULAR, io.pulse.worker.sandbox.SandboxSpec.ofCommand("f", 3, PYTHON))
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    long pid = Processes.readPid(dataDir.resolve("instances/left-1/pid"));

    WorkerDaemon daemon = start(config);

    assertThat(controlPlane.registrations.getFirst().getSandboxesList())
        .singleElement()
        .satisfies(s -> {
          assertThat(s.getInstanceId()).isEqualTo("left-1");
          assertThat(s.getRevision()).isEqualTo(3);
          assertThat(s.getState()).isEqualTo(SandboxState.READY);
        });
    daemon.close().await(30, TimeUnit.SECONDS);
    assertThat(Processes.isRunning(pid)).isFalse();
  }

  @Test
  void restart_onTheSameDataDir_stillRefusesTheEpochsBelowTheHighestSeenBefore() throws Exception {
    WorkerDaemon first = start(config.withRuntime("fake"));
    first.close().await(30, TimeUnit.SECONDS);
    // The next run hears of no leader at all: only its data dir can tell it about epoch 1000.
    controlPlane.close();
    controlPlane = FakeControlPlane.start(0, 1, 50);

    WorkerDaemon second = start(config.withRuntime("fake").withControlPlane(List.of(controlPlane.address())));
    ManagedChannel channel = GrpcChannels.plaintext("127.0.0.1:" + second.grpcPort());
    try {
      WorkerServiceGrpc.WorkerServiceBlockingStub worker = WorkerServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(60, TimeUnit.SECONDS);

      assertThatThrownBy(() -> worker.createSandbox(create("i-1", 999)))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(e.getStatus().getDescription()).contains("epoch 1000");
          });
      assertThat(worker.createSandbox(create("i-1", 1000)).getSandbox().getState()).isEqualTo(SandboxState.READY);
    } finally {
      GrpcChannels.close(channel);
      second.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void fakeRuntime_acceptsImageOnlySpecs() throws Exception {
    WorkerDaemon daemon = start(config.withRuntime("fake"));
    ManagedChannel channel = GrpcChannels.plaintext("127.0.0.1:" + daemon.grpcPort());
    try {
      CreateSandboxResponse created = WorkerServiceGrpc.newBlockingStub(channel).createSandbox(
          CreateSandboxRequest.newBuilder().setInstanceId("e-1").setKind(InstanceKind.EMERGENCY)
              .setSpec(SandboxSpec.newBuilder().setFunction("f").setRevision(1).setImage("registry.local/f:1"))
              .build());

      assertThat(created.getSandbox().getState()).isEqualTo(SandboxState.READY);
      assertThat(controlPlane.registrations.getFirst().getWorker().getRuntime()).isEqualTo("fake");
    } finally {
      GrpcChannels.close(channel);
      daemon.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void start_failsCleanlyWhenTheGrpcPortIsTaken() throws Exception {
    WorkerDaemon first = start(config);
    try {
      WorkerConfig clash = config.withGrpcBind(new HostPort("127.0.0.1", first.grpcPort()))
          .withDataDir(dataDir.resolve("other"));

      assertThatThrownBy(() -> WorkerDaemon.start(vertx, clash, new PrometheusRegistry(), new Readiness())
          .await(30, TimeUnit.SECONDS)).hasMessageContaining("cannot bind");
    } finally {
      first.close().await(30, TimeUnit.SECONDS);
    }
    // Everything the failed start registered is gone: a second daemon can use the same registry.
    WorkerDaemon again = start(config);
    again.close().await(30, TimeUnit.SECONDS);
  }

  private WorkerDaemon start(WorkerConfig cfg) throws Exception {
    WorkerDaemon daemon = WorkerDaemon.start(vertx, cfg, registry, readiness).await(30, TimeUnit.SECONDS);
    await().atMost(WAIT).until(daemon::registered);
    return daemon;
  }

  private static CreateSandboxRequest create(String id, long epoch) {
    return CreateSandboxRequest.newBuilder().setInstanceId(id).setKind(InstanceKind.REGULAR).setEpoch(epoch)
        .setSpec(SandboxSpec.newBuilder().setFunction("py").setRevision(1).addAllCommand(PYTHON)).build();
  }

  private String scrape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, registry.scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
