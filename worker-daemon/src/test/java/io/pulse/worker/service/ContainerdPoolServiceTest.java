package io.pulse.worker.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pulse.api.v1.CreateSandboxRequest;
import io.pulse.api.v1.CreateSandboxResponse;
import io.pulse.api.v1.DeleteSandboxRequest;
import io.pulse.api.v1.InstanceKind;
import io.pulse.api.v1.ListSandboxesRequest;
import io.pulse.api.v1.SandboxInfo;
import io.pulse.api.v1.SandboxSpec;
import io.pulse.api.v1.WorkerServiceGrpc;
import io.pulse.common.grpc.GrpcChannels;
import io.pulse.common.grpc.GrpcServers;
import io.pulse.common.net.HostPort;
import io.pulse.worker.sandbox.Resources;
import io.pulse.worker.sandbox.containerd.ContainerdSandboxRuntime;
import io.pulse.worker.sandbox.containerd.ContainerdSettings;
import io.pulse.worker.sandbox.containerd.pool.PoolBudget;
import io.pulse.worker.sandbox.containerd.pool.PooledSandboxRuntime;
import io.pulse.worker.testing.ContainerdHarness;
import io.pulse.worker.testing.ContainerdRig;
import io.pulse.worker.testing.RegistryHarness;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A revision's prewarm, carried by its creations, fills the worker's pool; both tracks then hit it (real gRPC). */
// In order: the first test counts the claims of the whole worker exactly.
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ContainerdPoolServiceTest {

  private static ContainerdRig rig;
  private static ContainerdHarness containerd;
  private static RegistryHarness registry;
  private static String image;
  @TempDir static Path dataDir;
  private static PooledSandboxRuntime<?> runtime;
  private static Server server;
  private static ManagedChannel channel;
  private static WorkerServiceGrpc.WorkerServiceBlockingStub worker;
  private static final PrometheusRegistry METRICS = new PrometheusRegistry();

  @BeforeAll
  static void start() throws Exception {
    rig = ContainerdRig.start();
    containerd = rig.containerd();
    registry = rig.registry();
    image = rig.image();
    runtime = PooledSandboxRuntime.of(new ContainerdSandboxRuntime(ContainerdSettings.defaults(containerd.socket(),
        dataDir).withInsecureRegistries(Set.of(registry.host())).withNetwork("host").withPortRange(30000, 30999)
        .withStopGraceMs(500).withDefaultReadinessTimeoutMs(20_000).withSecretsDir(dataDir.resolve("secrets"))),
        new PoolBudget(4, 1024), Clock.systemUTC());
    runtime.recover().toCompletableFuture().join();
    WorkerMetrics metrics = WorkerMetrics.register(METRICS, runtime::list, runtime.pool()::status);
    runtime.countClaimsIn(metrics);
    SandboxCommands commands = new SandboxCommands(runtime, new Resources(4000, 4096), new EpochGuard(), metrics);
    server = GrpcServers.start(new HostPort("127.0.0.1", 0), List.of(new GrpcWorkerService("w-pool", commands,
        runtime.pool()::target)));
    channel = GrpcChannels.plaintext("127.0.0.1:" + server.getPort());
    worker = WorkerServiceGrpc.newBlockingStub(channel);
  }

  @AfterAll
  static void stop() throws Exception {
    if (channel != null) {
      GrpcChannels.close(channel);
    }
    if (server != null) {
      GrpcServers.stop(server, 500);
    }
    if (runtime != null) {
      runtime.close().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    if (rig != null) {
      rig.close();
    }
  }

  private static CreateSandboxResponse create(String id, InstanceKind kind, int prewarm, long epoch) {
    return worker.withDeadlineAfter(60, TimeUnit.SECONDS).createSandbox(CreateSandboxRequest.newBuilder()
        .setInstanceId(id).setKind(kind).setEpoch(epoch)
        .setSpec(SandboxSpec.newBuilder().setFunction("fn-w").setRevision(1).setImage(image).setPrewarm(prewarm)
            .setResources(io.pulse.api.v1.Resources.newBuilder().setCpuMillis(250).setMemoryMib(64)))
        .build());
  }

  private static String scrape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, METRICS.scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  @org.junit.jupiter.api.Order(1)
  void prewarm_fillsThePool_thenBothTracksHitIt_andMembersAreNeverListed() throws Exception {
    CreateSandboxResponse first = create("fn-w-1", InstanceKind.REGULAR, 1, 1);
    assertThat(first.getTimings().getImageMicros()).as("the first is a miss").isPositive();
    await().atMost(Duration.ofSeconds(30)).until(() -> scrape()
        .contains("pulse_worker_pool_members{function=\"fn-w\",state=\"ready\"} 1.0"));

    // A data plane's creation carries no prewarm (0): it claims all the same.
    CreateSandboxResponse emergency = create("fn-w-2", InstanceKind.EMERGENCY, 0, 0);
    assertThat(emergency.getTimings().getImageMicros()).isZero();
    assertThat(emergency.getTimings().getCreateMicros()).isZero();
    await().atMost(Duration.ofSeconds(30)).until(() -> scrape()
        .contains("pulse_worker_pool_members{function=\"fn-w\",state=\"ready\"} 1.0"));
    CreateSandboxResponse regular = create("fn-w-3", InstanceKind.REGULAR, 1, 1);
    assertThat(regular.getTimings().getCreateMicros()).isZero();

    assertThat(worker.listSandboxes(ListSandboxesRequest.getDefaultInstance()).getSandboxesList())
        .extracting(SandboxInfo::getInstanceId).containsExactlyInAnyOrder("fn-w-1", "fn-w-2", "fn-w-3");
    assertThat(scrape())
        .contains("pulse_worker_pool_claims_total{result=\"miss\",track=\"regular\"} 1.0")
        .contains("pulse_worker_pool_claims_total{result=\"hit\",track=\"emergency\"} 1.0")
        .contains("pulse_worker_pool_claims_total{result=\"hit\",track=\"regular\"} 1.0")
        .contains("pulse_worker_pool_claim_to_ready_seconds_count 2");
    for (String id : List.of("fn-w-1", "fn-w-2", "fn-w-3")) {
      worker.deleteSandbox(DeleteSandboxRequest.newBuilder().setInstanceId(id).setEpoch(1).build());
    }
  }

  @Test
  @org.junit.jupiter.api.Order(2)
  void setPoolTarget_fillsThePoolAheadOfTheRevisionsFirstCreation_whichIsAHit() throws Exception {
    SandboxSpec spec = SandboxSpec.newBuilder().setFunction("fn-t").setRevision(1).setImage(image).setPrewarm(1)
        .setResources(io.pulse.api.v1.Resources.newBuilder().setCpuMillis(250).setMemoryMib(64)).build();
    worker.withDeadlineAfter(60, TimeUnit.SECONDS).setPoolTarget(io.pulse.api.v1.SetPoolTargetRequest.newBuilder()
        .setSpec(spec).setEpoch(1).build());
    await().atMost(Duration.ofSeconds(30)).until(() -> scrape()
        .contains("pulse_worker_pool_members{function=\"fn-t\",state=\"ready\"} 1.0"));

    CreateSandboxResponse first = worker.withDeadlineAfter(60, TimeUnit.SECONDS).createSandbox(
        CreateSandboxRequest.newBuilder().setInstanceId("fn-t-1").setKind(InstanceKind.REGULAR).setEpoch(1)
            .setSpec(spec.toBuilder().setPrewarm(0)).build());

    assertThat(first.getTimings().getCreateMicros()).as("the first creation claims a member").isZero();
    worker.deleteSandbox(DeleteSandboxRequest.newBuilder().setInstanceId("fn-t-1").setEpoch(1).build());
    worker.setPoolTarget(io.pulse.api.v1.SetPoolTargetRequest.newBuilder().setSpec(spec.toBuilder().setPrewarm(0))
        .setEpoch(1).build());
  }

  @Test
  @org.junit.jupiter.api.Order(3)
  void functionDeleted_theLeadersTargetOfZeroForItsLastRevision_removesEveryMemberFromContainerd() throws Exception {
    SandboxSpec spec = SandboxSpec.newBuilder().setFunction("fn-d").setRevision(2).setImage(image).setPrewarm(2)
        .setResources(io.pulse.api.v1.Resources.newBuilder().setCpuMillis(250).setMemoryMib(64)).build();
    worker.withDeadlineAfter(60, TimeUnit.SECONDS).setPoolTarget(io.pulse.api.v1.SetPoolTargetRequest.newBuilder()
        .setSpec(spec).setEpoch(1).build());
    await().atMost(Duration.ofSeconds(30)).until(() -> scrape()
        .contains("pulse_worker_pool_members{function=\"fn-d\",state=\"ready\"} 2.0"));
    assertThat(containerdHolds("pool-fn-d-")).as("containers, tasks, active snapshots").containsExactly(2, 2, 2);

    // What the leader sends every containerd worker when the function is deleted (PoolTargetSender).
    worker.setPoolTarget(io.pulse.api.v1.SetPoolTargetRequest.newBuilder().setSpec(spec.toBuilder().setPrewarm(0))
        .setEpoch(1).build());

    await().atMost(Duration.ofSeconds(30)).until(() -> containerdHolds("pool-fn-d-").equals(List.of(0, 0, 0)));
    assertThat(runtime.pool().status()).noneMatch(p -> p.key().function().equals("fn-d"));
  }

  /** Containers, tasks and active snapshots in containerd whose id starts with {@code prefix}. */
  private static List<Integer> containerdHolds(String prefix) {
    var inspector = rig.inspector();
    int containers = (int) inspector.containers().list(io.pulse.worker.sandbox.containerd.api.ListContainersRequest
        .getDefaultInstance()).getContainersList().stream().filter(c -> c.getId().startsWith(prefix)).count();
    int tasks = (int) inspector.tasks().list(io.pulse.worker.sandbox.containerd.api.ListTasksRequest
        .getDefaultInstance()).getTasksList().stream()
        .filter(t -> (t.getContainerId().isEmpty() ? t.getId() : t.getContainerId()).startsWith(prefix)).count();
    int[] snapshots = {0};
    inspector.snapshots(null).list(io.pulse.worker.sandbox.containerd.api.ListSnapshotsRequest.newBuilder()
        .setSnapshotter("overlayfs").build()).forEachRemaining(page -> page.getInfoList().stream()
            .filter(i -> i.getKind() == io.pulse.worker.sandbox.containerd.api.Kind.ACTIVE
                && i.getName().startsWith(prefix)).forEach(i -> snapshots[0]++));
    return List.of(containers, tasks, snapshots[0]);
  }
}
