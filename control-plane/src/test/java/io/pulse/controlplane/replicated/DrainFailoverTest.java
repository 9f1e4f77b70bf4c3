package io.pulse.controlplane.replicated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pulse.common.admin.Readiness;
import io.pulse.common.net.HostPort;
import io.pulse.worker.WorkerConfig;
import io.pulse.worker.WorkerDaemon;
import io.pulse.worker.sandbox.Sandbox;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: a worker's drain survives a leader failover. Three replicas (separate JVMs) and two real worker daemons
 * (fake runtime) in this JVM; one worker is drained through the leader, the leader is killed with SIGKILL, and the new
 * leader keeps that worker drained: it says so, and places a new function's instances on the other worker only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DrainFailoverTest {

  private static final Duration CONVERGE = Duration.ofSeconds(60);

  @TempDir
  static Path dir;

  private ReplicaSet replicas;
  private Vertx vertx;
  private WorkerDaemon drained;
  private WorkerDaemon other;

  @BeforeAll
  void startCluster() throws Exception {
    replicas = ReplicaSet.start(dir);
    vertx = Vertx.vertx();
    drained = worker("w-drained");
    other = worker("w-other");
  }

  private WorkerDaemon worker(String id) throws Exception {
    return WorkerDaemon.start(vertx, WorkerConfig.defaults().withWorkerId(id)
        .withGrpcBind(new HostPort("127.0.0.1", 0)).withAdvertiseHost("127.0.0.1")
        .withControlPlane(replicas.grpcSeeds()).withRuntime("fake").withDataDir(dir.resolve(id))
        .withCapacity(4_000, 4_096), new PrometheusRegistry(), new Readiness()).await(60, TimeUnit.SECONDS);
  }

  @AfterAll
  void stopCluster() throws Exception {
    for (WorkerDaemon worker : new WorkerDaemon[] {drained, other}) {
      if (worker != null) {
        worker.close().await(30, TimeUnit.SECONDS);
      }
    }
    if (vertx != null) {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
    if (replicas != null) {
      replicas.close();
    }
  }

  @Test
  void drain_thenKillTheLeader_theNewLeaderKeepsTheWorkerDrained() throws Exception {
    ReplicaProcess leader = replicas.leader();
    await("both workers registered").atMost(CONVERGE)
        .until(() -> workerStates(leader).equals(Map.of("w-drained", "alive", "w-other", "alive")));
    var answer = replicas.post(leader, "/v1/workers/w-drained/drain", "");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    await("the leader shows the drain").atMost(CONVERGE)
        .until(() -> "draining".equals(workerStates(leader).get("w-drained")));

    leader.kill();
    await("a new leader").atMost(CONVERGE).pollInterval(Duration.ofMillis(200))
        .until(() -> replicas.currentLeader().filter(r -> r != leader).isPresent());
    ReplicaProcess next = replicas.leader();
    await("the new leader knows both workers").atMost(CONVERGE).pollInterval(Duration.ofMillis(200))
        .until(() -> workerStates(next).size() == 2);

    assertThat(workerStates(next)).containsExactlyInAnyOrderEntriesOf(
        Map.of("w-drained", "draining", "w-other", "alive"));
    var deployed = replicas.post(next, "/v1/functions", new JsonObject().put("name", "placed")
        .put("command", new JsonArray().add("sleep").add("60"))
        .put("resources", new JsonObject().put("cpuMillis", 100).put("memoryMiB", 64))
        .put("scaling", new JsonObject().put("minScale", 3).put("policy", "kpa")).encode());
    assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
    await("three instances").atMost(CONVERGE).until(() -> placed(other) == 3);
    assertThat(placed(drained)).as("nothing placed on the drained worker").isZero();
  }

  private static long placed(WorkerDaemon worker) {
    return worker.sandboxes().stream().map(Sandbox::function).filter("placed"::equals).count();
  }

  /** Worker id to state ({@code alive}, {@code draining}, {@code dead}) as a replica's GET /v1/workers says. */
  private Map<String, String> workerStates(ReplicaProcess replica) {
    try {
      JsonObject body = new JsonObject(replicas.get(replica, "/v1/workers").body());
      Map<String, String> states = new TreeMap<>();
      Optional.ofNullable(body.getJsonArray("workers")).orElseGet(JsonArray::new).stream()
          .map(JsonObject.class::cast).forEach(w -> states.put(w.getString("id"), w.getString("state")));
      return states;
    } catch (Exception e) {
      return Map.of();
    }
  }
}
