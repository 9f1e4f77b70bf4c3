package io.pulse.controlplane.replicated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pulse.api.v1.CreateSandboxRequest;
import io.pulse.api.v1.DeleteSandboxRequest;
import io.pulse.api.v1.InstanceKind;
import io.pulse.api.v1.Resources;
import io.pulse.api.v1.SandboxSpec;
import io.pulse.api.v1.WorkerServiceGrpc;
import io.pulse.common.grpc.GrpcChannels;
import io.pulse.controlplane.ControlPlaneConfig;
import io.pulse.controlplane.autoscale.ColdStartShare;
import io.pulse.controlplane.autoscale.IdleGaps;
import io.pulse.dataplane.DataPlane;
import io.pulse.worker.WorkerDaemon;
import io.pulse.worker.sandbox.Sandbox;
import io.pulse.worker.sandbox.SandboxKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader of three replicas (separate JVMs) is killed with SIGKILL while a real worker daemon (fake runtime,
 * sandboxes serving HTTP) and a real data plane in this JVM serve warm traffic, found through the seed list. One kill
 * serves every test, in order: the first records idle gaps, the second kills and watches, the next ones check what
 * the kill left.
 *
 * <p>Figures (time to the new leader, to its first creation) are printed, not asserted: timings belong in the bench
 * ({@code pulse bench failover}); here only "it happens" is awaited, with generous bounds for 2 shared cores.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailoverUnderTrafficTest {

  private static final Duration CONVERGE = Duration.ofSeconds(60);
  private static final String WARM = "warm";
  private static final String PROBE = "probe";
  /** dual-track, keep-alive 1 s: its quiet spells are idle gaps within seconds. */
  private static final String IDLE = "idle";
  /** The functions' memory: the idle hold is priced by it. */
  private static final int MEMORY_MIB = 64;

  @TempDir
  static Path dir;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private ReplicaSet replicas;
  private LocalNodes nodes;
  private WorkerDaemon worker;
  private DataPlane dataPlane;
  // What the kill left, for the later tests:
  private ReplicaProcess killed;
  private long oldEpoch;
  private Set<String> warmInstances = Set.of();
  private List<Long> gapsBeforeTheKill = List.of();
  private List<Long> gapsAfterTheKill = List.of();

  @BeforeAll
  void startCluster() throws Exception {
    replicas = ReplicaSet.start(dir);
    nodes = LocalNodes.start(replicas.grpcSeeds(), dir, "failover", worker -> worker.withRuntime("fake"));
    worker = nodes.worker;
    dataPlane = nodes.dataPlane;
    ReplicaProcess leader = replicas.leader();
    // kpa: a request that finds no free slot waits for the control plane (no Emergency Instance hides a lost route).
    assertThat(replicas.post(leader, "/v1/functions", spec(WARM, 2, 2)).statusCode()).isEqualTo(201);
    assertThat(replicas.post(leader, "/v1/functions", spec(PROBE, 0, 1)).statusCode()).isEqualTo(201);
    assertThat(replicas.post(leader, "/v1/functions", new JsonObject(spec(IDLE, 0, 1)).put("scaling",
        new JsonObject().put("keepAliveSeconds", 1).put("policy", "dual-track")).encode()).statusCode())
        .isEqualTo(201);
    await().atMost(CONVERGE).until(() -> sandboxes(WARM).size() == 2 && invoke(WARM).statusCode() == 200);
  }

  @AfterAll
  void stopCluster() throws Exception {
    if (nodes != null) {
      nodes.close();
    }
    if (replicas != null) {
      replicas.close();
    }
  }

  @Test
  @Order(1)
  void idleGaps_recordedByTheLeader_areReadOnEveryReplica_withTheHoldTheyGive() throws Exception {
    ReplicaProcess leader = replicas.leader();
    burst(); // the first activity ends no gap
    for (int gaps = 1; gaps <= 2; gaps++) {
      spellThenBurst(leader, gaps);
    }
    JsonObject keepAlive = keepAlive(leader);
    gapsBeforeTheKill = longs(keepAlive.getJsonArray("idleGapsMs"));
    assertThat(gapsBeforeTheKill).hasSize(2);
    assertThat(keepAlive.getLong("keepAliveMs")).isEqualTo(1_000);
    System.out.printf("idle gaps recorded by %s: %s ms, hold %d ms; calls %s ms, creations %s ms%n", leader.id,
        gapsBeforeTheKill, keepAlive.getLong("holdMs"), keepAlive.getValue("executionMs"),
        keepAlive.getValue("creationMs"));
    // What a cold start would add to a call, by which the hold is weighed: the leader heard the calls' execution time
    // from the data plane's load reports and timed the function's creations; a follower measures neither.
    assertThat(keepAlive.getValue("executionMs")).isInstanceOf(Number.class);
    assertThat(keepAlive.getDouble("executionMs")).isPositive();
    assertThat(keepAlive.getValue("creationMs")).isInstanceOf(Number.class);
    assertThat(keepAlive.getDouble("creationMs")).isPositive();
    // The default rule (README "Idle keep-alive": at most 5 keep-alives, 1.5x the longest gap within them, where a
    // cold start is at least 0.3 of a call, priced by the function's memory), with the times the leader measured.
    ColdStartShare measured = new ColdStartShare(Math.round(keepAlive.getDouble("executionMs") * 1e3),
        Math.round(keepAlive.getDouble("creationMs") * 1e3));
    assertThat(keepAlive.getLong("holdMs")).isEqualTo(ControlPlaneConfig.defaults().dualTrackIdleKeepAliveRule()
        .millis(1_000, IdleGaps.of(gapsBeforeTheKill.stream().mapToLong(Long::longValue).toArray()), measured,
            MEMORY_MIB));
    for (ReplicaProcess replica : replicas.replicas()) {
      await(replica.id + " reads the leader's gaps").atMost(CONVERGE)
          .until(() -> longs(keepAlive(replica).getJsonArray("idleGapsMs")).equals(gapsBeforeTheKill));
      if (replica != leader) {
        assertThat(keepAlive(replica).getValue("executionMs")).isNull();
      }
    }
  }

  @Test
  @Order(2)
  void killLeader_underWarmTraffic_noRequestFails_andTheNewLeaderScales() throws Exception {
    killed = replicas.leader();
    oldEpoch = replicas.cluster(killed).getLong("epoch");
    warmInstances = sandboxes(WARM).stream().map(Sandbox::instanceId).collect(Collectors.toSet());
    try (WarmTraffic traffic = WarmTraffic.start(gateway(WARM), 2)) {
      await().atMost(CONVERGE).until(() -> traffic.ok() >= 40);

      long killedAt = System.currentTimeMillis();
      killed.kill();
      // A function that needs an instance now: its first request waits at the data plane, which tells the leader.
      CompletableFuture<HttpResponse<String>> probe = http.sendAsync(HttpRequest.newBuilder(URI.create(
          gateway(PROBE))).timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());

      await().atMost(CONVERGE).until(() -> replicas.currentLeader().filter(r -> r != killed).isPresent());
      long leaderKnownMs = System.currentTimeMillis() - killedAt;
      await().atMost(CONVERGE).until(() -> !sandboxes(PROBE).isEmpty());
      long scaledMs = sandboxes(PROBE).getFirst().createdAtMs() - killedAt;
      // Answered: the data plane follows the new leader's route stream, which carries the probe's new endpoint.
      assertThat(probe.get(CONVERGE.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      int served = traffic.ok();
      await().atMost(CONVERGE).until(() -> traffic.ok() >= served + 40);
      System.out.printf("kill -9 of %s under warm traffic: new leader known after %d ms, first instance created "
          + "after %d ms; %d warm requests answered, failures %s%n", killed.id, leaderKnownMs, scaledMs,
          traffic.ok(), traffic.failures());

      assertThat(traffic.failures()).as("warm requests that failed during the failover").isEmpty();
      assertThat(traffic.servedBy()).as("instances that answered warm requests")
          .isSubsetOf(warmInstances);
    }
    assertThat(sandboxes(WARM)).extracting(Sandbox::instanceId)
        .as("the new leader adopted the warm instances instead of replacing them")
        .containsExactlyInAnyOrderElementsOf(warmInstances);
  }

  @Test
  @Order(3)
  void worker_refusesTheOldLeadersEpoch_onceTheNewLeaderHasCommandedIt() throws Exception {
    assumeThat(killed).as("the leader was killed by the previous test").isNotNull();
    ReplicaProcess leader = replicas.leader();
    long newEpoch = replicas.cluster(leader).getLong("epoch");
    assertThat(newEpoch).isGreaterThan(oldEpoch);
    // The new leader created the probe's instance on this worker (previous test): the worker has seen newEpoch.
    assertThat(sandboxes(PROBE)).isNotEmpty();
    ManagedChannel channel = GrpcChannels.plaintext("127.0.0.1:" + worker.grpcPort());
    try {
      WorkerServiceGrpc.WorkerServiceBlockingStub stub = WorkerServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS);
      String warmInstance = warmInstances.iterator().next();

      assertThatThrownBy(() -> stub.deleteSandbox(DeleteSandboxRequest.newBuilder().setInstanceId(warmInstance)
          .setEpoch(oldEpoch).build()))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(e.getStatus().getDescription()).contains("epoch " + oldEpoch).contains("older");
          });
      assertThatThrownBy(() -> stub.createSandbox(CreateSandboxRequest.newBuilder().setInstanceId("stale-create")
          .setKind(InstanceKind.REGULAR).setEpoch(oldEpoch).setSpec(SandboxSpec.newBuilder().setFunction(WARM)
              .setRevision(1).addCommand("sleep").setResources(Resources.newBuilder().setCpuMillis(100)
                  .setMemoryMib(64))).build()))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
      assertThat(sandboxes(WARM)).extracting(Sandbox::instanceId).contains(warmInstance)
          .doesNotContain("stale-create");

      // The new term's epoch passes the same guard.
      assertThat(stub.deleteSandbox(DeleteSandboxRequest.newBuilder().setInstanceId("never-created")
          .setEpoch(newEpoch).build()).getExisted()).isFalse();
    } finally {
      GrpcChannels.close(channel);
    }
  }

  @Test
  @Order(4)
  void theNewLeader_addsToTheIdleGapsItsPredecessorRecorded() throws Exception {
    assumeThat(killed).as("the leader was killed by an earlier test").isNotNull();
    assumeThat(gapsBeforeTheKill).as("gaps recorded before the kill").hasSize(2);
    ReplicaProcess leader = replicas.leader();
    // The term's first activity ends no gap unless the term saw the function active before; the spell after it does.
    await("the idle function's Regular Instance gone").atMost(CONVERGE).until(() -> regular(IDLE).isEmpty());
    burst();
    spellThenBurst(leader, 3);
    // A term that started from nothing would list at most two gaps, both its own.
    gapsAfterTheKill = longs(keepAlive(leader).getJsonArray("idleGapsMs"));
    assertThat(gapsAfterTheKill.subList(0, 2))
        .as("the new term started from the gaps the old one recorded").isEqualTo(gapsBeforeTheKill);
  }

  /**
   * The whole cluster down at once empties the replicated map; each replica reads back from its own disk what it last
   * saw: the two that lived on, all three gaps; the one killed before the third, the first two.
   */
  @Test
  @Order(5)
  void aWholeClusterRestart_keepsTheGapsEachReplicaSaw() throws Exception {
    assumeThat(gapsAfterTheKill).as("a third gap recorded after the kill").hasSizeGreaterThanOrEqualTo(3);
    List<ReplicaProcess> survivors = replicas.replicas().stream().filter(r -> r != killed).toList();
    for (ReplicaProcess replica : survivors) {
      await(replica.id + " has the third gap").atMost(CONVERGE)
          .until(() -> longs(keepAlive(replica).getJsonArray("idleGapsMs")).equals(gapsAfterTheKill));
    }
    for (ReplicaProcess replica : survivors) {
      replica.kill();
    }
    for (ReplicaProcess replica : replicas.replicas()) {
      replica.start();
    }
    replicas.awaitHealthy();
    for (ReplicaProcess replica : survivors) {
      assertThat(longs(keepAlive(replica).getJsonArray("idleGapsMs"))).as(replica.id + " after the restart")
          .isEqualTo(gapsAfterTheKill);
    }
    assertThat(longs(keepAlive(killed).getJsonArray("idleGapsMs"))).as(killed.id + ", down since the first kill")
        .isEqualTo(gapsBeforeTheKill);
  }

  // --- helpers ---

  /**
   * A quiet spell of {@link #IDLE} longer than its hold (its Regular Instance comes, then goes: conditions, not a guess
   * at the hold), ended by a burst; then waits for {@code leader} to list at least {@code gaps} gaps.
   */
  private void spellThenBurst(ReplicaProcess leader, int gaps) throws Exception {
    await("the idle function's Regular Instance").atMost(CONVERGE).until(() -> !regular(IDLE).isEmpty());
    await("the idle function's Regular Instance gone").atMost(CONVERGE).until(() -> regular(IDLE).isEmpty());
    burst();
    await("gap " + gaps + " recorded").atMost(CONVERGE)
        .until(() -> keepAlive(leader).getJsonArray("idleGapsMs").size() >= gaps);
  }

  /**
   * Calls close together: the metric filter counts a dual-track function's expedited calls only when most of its
   * inter-arrival times are within its keep-alive, so one call per spell would never reach the autoscaler.
   */
  private void burst() throws Exception {
    for (int i = 0; i < 4; i++) {
      assertThat(invoke(IDLE).statusCode()).isEqualTo(200);
    }
  }

  private List<Sandbox> regular(String function) {
    return sandboxes(function).stream().filter(s -> s.kind() == SandboxKind.REGULAR).toList();
  }

  /** The {@code status.keepAlive} of {@link #IDLE} as {@code replica} answers it; empty gaps when it cannot. */
  private JsonObject keepAlive(ReplicaProcess replica) {
    try {
      JsonObject keepAlive = new JsonObject(replicas.get(replica, "/v1/functions/" + IDLE).body())
          .getJsonObject("status").getJsonObject("keepAlive");
      return keepAlive != null ? keepAlive : new JsonObject().put("idleGapsMs", new JsonArray());
    } catch (Exception e) {
      return new JsonObject().put("idleGapsMs", new JsonArray());
    }
  }

  private static List<Long> longs(JsonArray array) {
    return array.stream().map(v -> ((Number) v).longValue()).toList();
  }

  private java.util.List<Sandbox> sandboxes(String function) {
    return worker.sandboxes().stream().filter(s -> s.function().equals(function)).toList();
  }

  private String gateway(String function) {
    return "http://127.0.0.1:" + dataPlane.httpPort() + "/fn/" + function + "/";
  }

  private HttpResponse<String> invoke(String function) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(gateway(function))).timeout(Duration.ofSeconds(10)).GET()
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String spec(String name, int minScale, int targetConcurrency) {
    return new JsonObject().put("name", name).put("command", new JsonArray().add("sleep").add("60"))
        .put("resources", new JsonObject().put("cpuMillis", 100).put("memoryMiB", MEMORY_MIB))
        .put("scaling", new JsonObject().put("minScale", minScale).put("targetConcurrency", targetConcurrency)
            .put("policy", "kpa"))
        .encode();
  }
}
