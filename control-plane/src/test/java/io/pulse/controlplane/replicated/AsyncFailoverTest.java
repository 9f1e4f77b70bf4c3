package io.pulse.controlplane.replicated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.common.testing.CountingFunction;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Async invocations survive the leader's SIGKILL and a SIGKILL of all three replicas (separate JVMs): every
 * invocation answered 202 completes, at least once, as counted by the function itself (a python3 process function,
 * port block 13200-13399); duplicates are reported, not failed on (delivery is at least once).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AsyncFailoverTest {

  private static final Duration CONVERGE = Duration.ofSeconds(120);
  private static final String FUNCTION = "counter";

  @TempDir
  static Path dir;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private ReplicaSet replicas;
  private LocalNodes nodes;
  private CountingFunction counting;

  @BeforeAll
  void startCluster() throws Exception {
    counting = CountingFunction.in(dir.resolve("counting"));
    replicas = ReplicaSet.start(dir);
    nodes = LocalNodes.start(replicas.grpcSeeds(), dir, "async",
        worker -> worker.withRuntime("process").withPortRange(13_200, 13_399));
    JsonObject spec = new JsonObject().put("name", FUNCTION).put("command", new JsonArray(counting.command()))
        .put("resources", new JsonObject().put("cpuMillis", 100).put("memoryMiB", 64))
        .put("scaling", new JsonObject().put("minScale", 1).put("targetConcurrency", 4).put("policy", "kpa"))
        .put("async", new JsonObject().put("concurrency", 4).put("backoffMs", 200).put("maxAttempts", 20));
    assertThat(replicas.post(replicas.leader(), "/v1/functions", spec.encode()).statusCode()).isEqualTo(201);
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
  void leaderKilled_everyAcceptedInvocationCompletes() throws Exception {
    List<String> accepted = new ArrayList<>();
    List<Integer> refused = new ArrayList<>();
    send(15, accepted, refused);
    ReplicaProcess killed = replicas.leader();
    killed.kill();
    send(15, accepted, refused); // during the failover: a refusal (503) is allowed, a lost 202 is not

    await().atMost(CONVERGE).until(() -> replicas.currentLeader().filter(r -> r != killed).isPresent());
    awaitAllSucceeded(accepted);
    report("leader kill -9", accepted, refused);
    killed.start(); // back to three for the next test, over its old data directory
    replicas.awaitHealthy();
  }

  @Test
  @Order(2)
  void allReplicasKilledAndRestarted_nothingAcceptedIsLost() throws Exception {
    List<String> accepted = new ArrayList<>();
    List<Integer> refused = new ArrayList<>();
    send(20, accepted, refused);
    assertThat(refused).as("refusals with every replica up").isEmpty();
    for (ReplicaProcess replica : replicas.replicas()) {
      replica.kill();
    }
    for (ReplicaProcess replica : replicas.replicas()) {
      replica.start();
    }
    replicas.awaitHealthy();

    awaitAllSucceeded(accepted);
    report("full restart", accepted, refused);
  }

  /** Sends {@code count} async invocations (each runs 300 ms); 202s go to accepted, other statuses to refused. */
  private void send(int count, List<String> accepted, List<Integer> refused) throws Exception {
    for (int i = 0; i < count; i++) {
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(nodes.gateway(
          "/async/fn/" + FUNCTION + "/?sleep=300"))).timeout(Duration.ofSeconds(30))
          .POST(HttpRequest.BodyPublishers.ofString("n" + i)).build(), HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() == 202) {
        accepted.add(new JsonObject(answer.body()).getString("id"));
      } else {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
        refused.add(answer.statusCode());
      }
    }
  }

  private void awaitAllSucceeded(List<String> ids) {
    await().atMost(CONVERGE).pollInterval(Duration.ofMillis(500)).until(() -> {
      ReplicaProcess leader = replicas.currentLeader().orElse(null);
      if (leader == null) {
        return false;
      }
      for (String id : ids) {
        HttpResponse<String> answer = replicas.get(leader, "/v1/invocations/" + id);
        assertThat(answer.statusCode()).as("invocation %s is kept: %s", id, answer.body()).isEqualTo(200);
        if (!new JsonObject(answer.body()).getString("state").equals("succeeded")) {
          return false;
        }
      }
      return true;
    });
  }

  private void report(String what, List<String> accepted, List<Integer> refused) {
    Map<String, Long> executions = counting.executions();
    for (String id : accepted) {
      assertThat(executions.getOrDefault(id, 0L)).as("executions of %s", id).isGreaterThanOrEqualTo(1);
    }
    long duplicates = accepted.stream().mapToLong(id -> executions.get(id) - 1).sum();
    System.out.printf("async %s: %d accepted, %d refused (503), all completed; %d duplicate executions%n", what,
        accepted.size(), refused.size(), duplicates);
  }
}
