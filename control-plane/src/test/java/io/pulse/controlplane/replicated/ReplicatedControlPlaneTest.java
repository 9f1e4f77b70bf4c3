package io.pulse.controlplane.replicated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.controlplane.TestToken;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three control-plane replicas as separate JVMs on 127.0.0.1, killed with SIGKILL, stopped with SIGSTOP and restarted
 * over their data directories. One cluster serves every test (each JVM start costs seconds on 2 cores), in order:
 * every test leaves three healthy replicas behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicatedControlPlaneTest {

  private static final Duration STARTUP = Duration.ofSeconds(150);
  private static final Duration CONVERGE = Duration.ofSeconds(60);

  @TempDir
  static Path dir;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<ReplicaProcess> replicas = new ArrayList<>();

  @BeforeAll
  void startCluster() throws Exception {
    int[] ports = freePorts(9);
    List<String> members = List.of("127.0.0.1:" + ports[6], "127.0.0.1:" + ports[7], "127.0.0.1:" + ports[8]);
    for (int i = 0; i < 3; i++) {
      replicas.add(new ReplicaProcess("cp-" + (i + 1), ports[i], ports[3 + i], ports[6 + i], dir, members));
    }
    for (ReplicaProcess replica : replicas) {
      replica.start();
    }
    awaitHealthy();
  }

  @AfterAll
  void stopCluster() throws InterruptedException {
    for (ReplicaProcess replica : replicas) {
      replica.kill();
    }
  }

  @Test
  @Order(1)
  void register_onLeader_reachesEveryReplica_andFollowersForwardWritesToIt() throws Exception {
    ReplicaProcess leader = leader();
    assertThat(post(leader, spec("first")).statusCode()).isEqualTo(201);
    for (ReplicaProcess replica : replicas) {
      await().atMost(CONVERGE).until(() -> get(replica, "/v1/functions/first").statusCode() == 200);
    }
    ReplicaProcess follower = replicas.stream().filter(r -> r != leader).findFirst().orElseThrow();

    // The leader's answer, through the follower: no retry needed.
    HttpResponse<String> forwarded = post(follower, spec("second"));
    assertThat(forwarded.statusCode()).as(forwarded.body()).isEqualTo(201);
    assertThat(forwarded.headers().firstValue("Pulse-Leader")).contains(leader.rest());
    assertThat(new JsonObject(forwarded.body()).getLong("revision")).isEqualTo(1);
    assertThat(get(leader, "/v1/functions/second").statusCode()).isEqualTo(200);
    assertThat(post(follower, spec("second")).statusCode()).as("the leader's 409, forwarded").isEqualTo(409);
    HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(URI.create(follower.rest()
        + "/v1/functions/second")).timeout(Duration.ofSeconds(10)).header("Authorization", TestToken.BEARER)
        .DELETE().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
    assertThat(get(leader, "/v1/functions/second").statusCode()).isEqualTo(404);

    // The follower checks the caller's token first; a forwarded request is never forwarded again.
    HttpResponse<String> unauthorized = http.send(HttpRequest.newBuilder(URI.create(follower.rest()
        + "/v1/functions")).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .header("Authorization", "Bearer wrong-token-wrong-token").POST(HttpRequest.BodyPublishers.ofString(
        spec("third"))).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(unauthorized.statusCode()).isEqualTo(401);
    HttpResponse<String> looped = http.send(HttpRequest.newBuilder(URI.create(follower.rest() + "/v1/functions"))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .header("Authorization", TestToken.BEARER).header("Pulse-Forwarded-By", "cp-x")
        .POST(HttpRequest.BodyPublishers.ofString(spec("third"))).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(looped.statusCode()).isEqualTo(503);
    assertThat(looped.headers().firstValue("Retry-After")).contains("1");
    assertThat(looped.body()).contains("cp-x forwarded").contains(follower.id);
    assertThat(get(leader, "/v1/functions/third").statusCode()).isEqualTo(404);
  }

  @Test
  @Order(2)
  void killLeader_during200Registrations_losesNoAcknowledgedOne() throws Exception {
    ReplicaProcess doomed = leader();
    Set<String> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      for (int i = 0; i < 200; i++) {
        acknowledged.add(registerWithRetries("load-" + i));
      }
    });
    await().atMost(CONVERGE).until(() -> acknowledged.size() >= 50);
    long killedAt = System.nanoTime();
    doomed.kill();
    await().atMost(CONVERGE).until(() -> {
      Optional<ReplicaProcess> next = currentLeader();
      return next.isPresent() && next.get() != doomed;
    });
    long failoverMillis = (System.nanoTime() - killedAt) / 1_000_000;
    writer.get(180, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(acknowledged).hasSize(200);
    for (ReplicaProcess replica : replicas) {
      if (replica == doomed) {
        continue;
      }
      await().atMost(CONVERGE).untilAsserted(() -> {
        List<String> names = functionNames(replica);
        assertThat(names).doesNotHaveDuplicates().containsAll(acknowledged);
      });
    }
    System.out.println("failover after kill -9 of " + doomed.id + ": new leader known in " + failoverMillis + " ms");
    doomed.start(); // back to three, over its old data directory
    awaitHealthy();
    await().atMost(CONVERGE).untilAsserted(() -> assertThat(functionNames(doomed)).containsAll(acknowledged));
  }

  @Test
  @Order(3)
  void killAll_thenRestart_recoversEveryFunctionWithItsRevision() throws Exception {
    ReplicaProcess leader = leader();
    String changed = new JsonObject(spec("first")).put("timeoutSeconds", 30).encode();
    assertThat(put(leader, changed).statusCode()).isEqualTo(200); // revision 2
    Map<String, Long> before = revisions(leader);
    assertThat(before).containsEntry("first", 2L).hasSizeGreaterThanOrEqualTo(201);
    for (ReplicaProcess replica : replicas) {
      replica.kill();
    }
    for (ReplicaProcess replica : replicas) {
      replica.start();
    }
    awaitHealthy();
    for (ReplicaProcess replica : replicas) {
      await().atMost(CONVERGE).untilAsserted(() -> assertThat(revisions(replica)).isEqualTo(before));
    }
  }

  @Test
  @Order(4)
  void partitionedMinority_refusesWrites_withClearError() throws Exception {
    ReplicaProcess lonely = replicas.get(2);
    List<ReplicaProcess> others = replicas.subList(0, 2);
    for (ReplicaProcess other : others) {
      other.signal("STOP");
    }
    try {
      await().atMost(CONVERGE).until(() -> cluster(lonely).getJsonArray("members").size() == 1);
      HttpResponse<String> refused = post(lonely, spec("minority"));
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.body()).contains("sees 1 of 3 replicas").contains("majority (2)");
    } finally {
      for (ReplicaProcess other : others) {
        other.signal("CONT");
      }
    }
    awaitHealthy();
    assertThat(get(leader(), "/v1/functions/minority").statusCode()).isEqualTo(404);
  }

  @Test
  @Order(5)
  void leaderCutOffBeforeItNotices_acknowledgesNoWrite() throws Exception {
    ReplicaProcess leader = leader();
    List<ReplicaProcess> followers = replicas.stream().filter(r -> r != leader).toList();
    for (ReplicaProcess follower : followers) {
      follower.signal("STOP");
    }
    try {
      // Sent at once: the leader still sees three members and has not yet stepped down. Hazelcast alone gave up on
      // the silent backups after 500 ms and the write was acknowledged with only the leader's disk holding it.
      HttpResponse<String> answer = post(leader, spec("unconfirmed"));
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
      assertThat(answer.body()).contains("a majority needs").contains("may already be there");
      assertThat(answer.headers().firstValue("Retry-After")).contains("1");
    } finally {
      for (ReplicaProcess follower : followers) {
        follower.signal("CONT");
      }
    }
    awaitHealthy();
  }

  // --- helpers ---

  /** Registers {@code name} on whichever replica leads, until a 2xx (or a 409: an earlier attempt landed). */
  private String registerWithRetries(String name) {
    for (int attempt = 0; attempt < 600; attempt++) {
      try {
        Optional<ReplicaProcess> leader = currentLeader();
        if (leader.isPresent()) {
          int status = post(leader.get(), spec(name)).statusCode();
          if (status / 100 == 2 || status == 409) {
            return name;
          }
        }
      } catch (IOException e) {
        // the leader died under the request: ask again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(100_000_000);
    }
    throw new IllegalStateException("could not register " + name);
  }

  private void awaitHealthy() {
    try {
      awaitHealthyOrTimeOut();
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // The replicas' logs live in the test's temp dir, gone once it fails: say what each one saw first.
      for (ReplicaProcess replica : replicas) {
        System.out.println(replica.describe(this::clusterOrError, 80));
      }
      throw e;
    }
  }

  private String clusterOrError(ReplicaProcess replica) {
    try {
      return cluster(replica).encode();
    } catch (Exception e) {
      return "no answer: " + e;
    }
  }

  private void awaitHealthyOrTimeOut() {
    await().atMost(STARTUP).pollInterval(Duration.ofMillis(500)).until(() -> {
      for (ReplicaProcess replica : replicas) {
        if (!replica.alive() || !replica.ready()) {
          return false;
        }
      }
      Set<String> leaders = new HashSet<>();
      for (ReplicaProcess replica : replicas) {
        JsonObject cluster = cluster(replica);
        if (cluster.getJsonArray("members").size() != 3) {
          return false;
        }
        leaders.add(cluster.getString("leader"));
      }
      return leaders.size() == 1 && !leaders.contains("") && currentLeader().isPresent();
    });
  }

  private ReplicaProcess leader() {
    return currentLeader().orElseThrow();
  }

  /** The replica that says it leads (asked of each live replica), if any. */
  private Optional<ReplicaProcess> currentLeader() {
    for (ReplicaProcess replica : replicas) {
      try {
        JsonObject cluster = cluster(replica);
        if (cluster.getString("leader").equals(replica.id)) {
          return Optional.of(replica);
        }
      } catch (Exception e) {
        // dead or stopped: ask the next one
      }
    }
    return Optional.empty();
  }

  private JsonObject cluster(ReplicaProcess replica) throws IOException, InterruptedException {
    return new JsonObject(get(replica, "/v1/cluster").body());
  }

  private List<String> functionNames(ReplicaProcess replica) throws IOException, InterruptedException {
    JsonArray functions = new JsonObject(get(replica, "/v1/functions").body()).getJsonArray("functions");
    List<String> names = new ArrayList<>();
    functions.forEach(f -> names.add(((JsonObject) f).getString("name")));
    return names;
  }

  private Map<String, Long> revisions(ReplicaProcess replica) throws IOException, InterruptedException {
    JsonArray functions = new JsonObject(get(replica, "/v1/functions").body()).getJsonArray("functions");
    Map<String, Long> revisions = new HashMap<>();
    functions.forEach(f -> revisions.put(((JsonObject) f).getString("name"), ((JsonObject) f).getLong("revision")));
    return revisions;
  }

  private static String spec(String name) {
    return new JsonObject().put("name", name).put("command", new JsonArray().add("sleep").add("60")).encode();
  }

  private HttpResponse<String> get(ReplicaProcess replica, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(replica.rest() + path)).timeout(Duration.ofSeconds(5))
        .header("Authorization", TestToken.BEARER).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(ReplicaProcess replica, String body) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(replica.rest() + "/v1/functions"))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .header("Authorization", TestToken.BEARER)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> put(ReplicaProcess replica, String body) throws IOException, InterruptedException {
    String name = new JsonObject(body).getString("name");
    return http.send(HttpRequest.newBuilder(URI.create(replica.rest() + "/v1/functions/" + name))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .header("Authorization", TestToken.BEARER)
        .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int[] freePorts(int count) throws IOException {
    int[] ports = new int[count];
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
    return ports;
  }
}
