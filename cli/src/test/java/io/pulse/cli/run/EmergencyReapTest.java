package io.pulse.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.common.net.HostPort;
import io.pulse.controlplane.ControlPlane;
import io.pulse.controlplane.ControlPlaneConfig;
import io.pulse.controlplane.security.ApiTokens;
import io.pulse.worker.WorkerConfig;
import io.pulse.worker.WorkerDaemon;
import io.pulse.worker.sandbox.CreatorLease;
import io.pulse.worker.sandbox.Sandbox;
import io.pulse.worker.sandbox.SandboxKind;
import io.pulse.worker.sandbox.SandboxState;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: an Emergency Instance does not outlive the data plane that created it. The data plane runs as its own JVM
 * ({@code pulse data-plane}, a short lease through {@code --emergency-lease-ms}); the control plane and a worker on the
 * fake runtime run in this JVM. A request to an {@code emergency-only} function that sleeps keeps its Emergency
 * Instance in use; the data plane renews its lease meanwhile; then it is {@code kill -9}ed, and the worker deletes the
 * instance once the lease runs out, counting it.
 */
class EmergencyReapTest {

  private static final long LEASE_MS = 3_000;
  private static final String DATA_PLANE_ID = "dp-reaped";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;
  private Components components;
  private ControlPlane controlPlane;
  private WorkerDaemon worker;
  private String token;

  @BeforeEach
  void start() {
    components = Components.create();
    token = ApiTokens.generate();
    ControlPlaneConfig cp = ControlPlaneConfig.defaults()
        .withRestBind(new HostPort("127.0.0.1", 0))
        .withGrpcBind(new HostPort("127.0.0.1", 0));
    controlPlane = ControlPlane.start(components.vertx(), cp.withSecurity(cp.security().withToken(token)),
        components.metrics(), components.readiness()).await();
    // This task's port block, though the fake runtime's HTTP sandboxes bind port 0.
    worker = WorkerDaemon.start(components.vertx(), WorkerConfig.defaults()
            .withWorkerId("w-reap")
            .withGrpcBind(new HostPort("127.0.0.1", 0))
            .withControlPlane(List.of(new HostPort("127.0.0.1", controlPlane.grpcPort())))
            .withRuntime("fake")
            .withDataDir(dir.resolve("worker"))
            .withCapacity(4_000, 4_096)
            .withPortRange(12_000, 12_999),
        components.metrics(), components.readiness()).await();
    await("worker registered").atMost(Duration.ofSeconds(30)).until(worker::registered);
  }

  @AfterEach
  void stop() {
    for (Future<Void> closing : new Future[] {worker != null ? worker.close() : null,
        controlPlane != null ? controlPlane.close() : null}) {
      awaitQuietly(closing);
    }
    if (components != null) {
      awaitQuietly(components.vertx().close());
    }
  }

  @Test
  void dataPlaneKilledWhileItsEmergencyInstanceServes_theWorkerReapsTheInstance() throws Exception {
    int httpPort = WorkerProcess.freePort();
    int adminPort = WorkerProcess.freePort();
    WorkerProcess dataPlane = WorkerProcess.start("data-plane", List.of("--bind", "127.0.0.1",
        "--http-port", Integer.toString(httpPort), "--control-plane", "127.0.0.1:" + controlPlane.grpcPort(),
        "--id", DATA_PLANE_ID, "--emergency-lease-ms", Long.toString(LEASE_MS)), adminPort, dir.resolve("dp.log"));
    try {
      dataPlane.awaitRegistered(Duration.ofSeconds(60));
      HttpResponse<String> deployed = api("POST", "/v1/functions", new JsonObject().put("name", "slow")
          .put("command", new JsonArray(List.of("fake")))
          .put("resources", new JsonObject().put("cpuMillis", 100).put("memoryMiB", 64))
          .put("scaling", new JsonObject().put("policy", "emergency-only")).encode());
      assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);

      // A request that takes far longer than the test: its Emergency Instance stays in use.
      Thread.ofVirtual().start(() -> {
        try {
          HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/fn/slow/?sleep=600000"))
              .build(), HttpResponse.BodyHandlers.discarding());
        } catch (Exception expected) {
          // the data plane dies under it
        }
      });
      await("emergency instance ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .failFast("data plane exited", () -> !dataPlane.isAlive())
          .until(() -> emergency().size() == 1 && emergency().getFirst().state() == SandboxState.READY);
      Sandbox instance = emergency().getFirst();
      assertThat(instance.creator()).isEqualTo(new CreatorLease(DATA_PLANE_ID, LEASE_MS));

      // While the data plane lives, its renewals keep the instance well past its first lease.
      long createdAt = System.nanoTime();
      await("two leases pass").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
          .until(() -> System.nanoTime() - createdAt > 2 * LEASE_MS * 1_000_000);
      assertThat(emergency()).as("renewed, still serving").extracting(Sandbox::instanceId)
          .containsExactly(instance.instanceId());
      assertThat(reaped()).isZero();

      dataPlane.kill();

      await("the worker reaps the orphan").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
          .until(() -> worker.sandboxes().isEmpty());
      assertThat(reaped()).isEqualTo(1);
    } catch (AssertionError | RuntimeException e) {
      System.out.println("data plane log:\n" + dataPlane.log());
      throw e;
    } finally {
      dataPlane.close();
    }
  }

  private List<Sandbox> emergency() {
    return worker.sandboxes().stream().filter(s -> s.kind() == SandboxKind.EMERGENCY).toList();
  }

  /** {@code pulse_worker_emergency_reaped_total} from this JVM's registry (the worker's metrics). */
  private double reaped() {
    return components.metrics().scrape().stream()
        .filter(m -> m.getMetadata().getPrometheusName().equals("pulse_worker_emergency_reaped"))
        .flatMap(m -> ((io.prometheus.metrics.model.snapshots.CounterSnapshot) m).getDataPoints().stream())
        .mapToDouble(p -> p.getValue()).sum();
  }

  private HttpResponse<String> api(String method, String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controlPlane.restPort() + path))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void awaitQuietly(Future<Void> future) {
    if (future == null) {
      return;
    }
    try {
      future.await(30, TimeUnit.SECONDS);
    } catch (RuntimeException | TimeoutException e) {
      System.out.println("shutdown step failed: " + e);
    }
  }
}
