package io.pulse.worker.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pulse.api.v1.PrepareImageRequest;
import io.pulse.api.v1.PrepareImageResponse;
import io.pulse.api.v1.WorkerServiceGrpc;
import io.pulse.common.grpc.GrpcChannels;
import io.pulse.common.grpc.GrpcServers;
import io.pulse.common.net.HostPort;
import io.pulse.worker.sandbox.Resources;
import io.pulse.worker.sandbox.containerd.ContainerdSandboxRuntime;
import io.pulse.worker.sandbox.containerd.ContainerdSettings;
import io.pulse.worker.testing.ContainerdHarness;
import io.pulse.worker.testing.RegistryHarness;
import io.pulse.worker.testing.TestImages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PrepareImage through the real gRPC service, on the containerd runtime, against a local registry. */
class ContainerdPrepareImageTest {

  private static ContainerdHarness containerd;
  private static RegistryHarness registry;
  @TempDir static Path dataDir;
  private static ContainerdSandboxRuntime runtime;
  private static Server server;
  private static ManagedChannel channel;
  private static WorkerServiceGrpc.WorkerServiceBlockingStub worker;
  private static final PrometheusRegistry METRICS = new PrometheusRegistry();

  @BeforeAll
  static void start() throws Exception {
    ContainerdHarness.assumeAvailable();
    RegistryHarness.assumeAvailable();
    TestImages.assumeAvailable();
    containerd = ContainerdHarness.start();
    registry = RegistryHarness.start();
    runtime = new ContainerdSandboxRuntime(ContainerdSettings.defaults(containerd.socket(), dataDir)
        .withInsecureRegistries(Set.of(registry.host(), "127.0.0.1:1")));
    runtime.recover().toCompletableFuture().join();
    SandboxCommands commands = new SandboxCommands(runtime, new Resources(1000, 1024), new EpochGuard(),
        WorkerMetrics.register(METRICS, runtime::list));
    server = GrpcServers.start(new HostPort("127.0.0.1", 0), List.of(new GrpcWorkerService("w-ctd", commands)));
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
    if (registry != null) {
      registry.close();
    }
    if (containerd != null) {
      containerd.close();
    }
  }

  private static PrepareImageResponse prepare(String image, long epoch) {
    return worker.withDeadlineAfter(60, TimeUnit.SECONDS).prepareImage(PrepareImageRequest.newBuilder()
        .setImage(image).setEpoch(epoch).build());
  }

  @Test
  void prepareImage_firstCallPulls_secondFindsItPresent() throws IOException {
    String image = TestImages.pushHttpd(registry.host(), "pulse/prepared", "v1");

    PrepareImageResponse first = prepare(image, 0);
    PrepareImageResponse second = prepare(image, 0);

    assertThat(first.getAlreadyPresent()).isFalse();
    assertThat(first.getDigest()).startsWith("sha256:");
    assertThat(first.getPullMicros()).isPositive();
    assertThat(second.getAlreadyPresent()).isTrue();
    assertThat(second.getDigest()).isEqualTo(first.getDigest());
    assertThat(second.getPullMicros()).isZero();
    // Only this test makes PrepareImage calls that succeed: one pull, one lookup.
    assertThat(scrape()).contains("pulse_worker_image_prepare_seconds_count{result=\"pulled\"} 1\n")
        .contains("pulse_worker_image_prepare_seconds_count{result=\"present\"} 1\n");
    // A restarted worker (a new runtime on the same containerd) finds it in containerd without the registry.
    ContainerdSandboxRuntime restarted = new ContainerdSandboxRuntime(ContainerdSettings.defaults(
        containerd.socket(), dataDir));
    try {
      assertThat(restarted.prepareImage(image).toCompletableFuture().join().alreadyPresent()).isTrue();
    } finally {
      restarted.close().toCompletableFuture().join();
    }
  }

  @Test
  void prepareImage_failures_areFastAndCarryTheDocumentedStatus() throws IOException {
    // Epoch 0 (no leader) is always admitted; the epoch test below raises the highest seen.
    assertStatus(() -> prepare("Not A Reference", 0), Status.Code.INVALID_ARGUMENT, "Not A Reference");
    assertStatus(() -> prepare(registry.host() + "/pulse/absent:v1", 0), Status.Code.NOT_FOUND, "HTTP 404");
    assertStatus(() -> prepare("127.0.0.1:1/pulse/httpd:v1", 0), Status.Code.UNAVAILABLE, "unreachable");
    assertThat(scrape()).containsPattern("pulse_worker_image_prepare_seconds_count\\{result=\"failed\"} [1-9]");
  }

  @Test
  void prepareImage_olderEpoch_isFailedPrecondition() {
    assertStatus(() -> prepare(registry.host() + "/pulse/any:v1", 5), Status.Code.NOT_FOUND, "HTTP 404");
    assertStatus(() -> prepare(registry.host() + "/pulse/any:v1", 4), Status.Code.FAILED_PRECONDITION,
        "epoch 4");
  }

  private static String scrape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, METRICS.scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  private static void assertStatus(ThrowingCallable call, Status.Code code, String messagePart) {
    assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(code);
      assertThat(e.getStatus().getDescription()).contains(messagePart);
    });
  }
}
