package io.pulse.controlplane.replicated;

import static org.awaitility.Awaitility.await;

import io.pulse.controlplane.TestToken;
import io.pulse.common.net.HostPort;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Test fixture: three {@link ReplicaProcess}es on 127.0.0.1 (separate JVMs) and the REST calls the multi-process tests
 * make of them. Starting them costs 10-40 s on 2 shared cores, so a test class starts one set for all its tests.
 */
final class ReplicaSet implements AutoCloseable {

  static final Duration STARTUP = Duration.ofSeconds(150);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<ReplicaProcess> replicas = new ArrayList<>();

  private ReplicaSet() {}

  /** Starts three replicas with data directories under {@code dir} and waits until they agree on a leader. */
  static ReplicaSet start(Path dir) throws IOException {
    return start(dir, List.of());
  }

  /** As {@link #start(Path)}, each replica's JVM given {@code jvmOptions}. */
  static ReplicaSet start(Path dir, List<String> jvmOptions) throws IOException {
    ReplicaSet set = new ReplicaSet();
    int[] ports = freePorts(9);
    List<String> members = List.of("127.0.0.1:" + ports[6], "127.0.0.1:" + ports[7], "127.0.0.1:" + ports[8]);
    for (int i = 0; i < 3; i++) {
      set.replicas.add(new ReplicaProcess("cp-" + (i + 1), ports[i], ports[3 + i], ports[6 + i], dir, members,
          jvmOptions));
    }
    try {
      for (ReplicaProcess replica : set.replicas) {
        replica.start();
      }
      set.awaitHealthy();
    } catch (RuntimeException | IOException e) {
      set.close();
      throw e;
    }
    return set;
  }

  List<ReplicaProcess> replicas() {
    return List.copyOf(replicas);
  }

  /** Every replica's gRPC address: the seed list workers and data planes get. */
  List<HostPort> grpcSeeds() {
    return replicas.stream().map(r -> new HostPort("127.0.0.1", r.grpcPort)).toList();
  }

  /** Waits until all three run, are ready, see each other and name the same leader. */
  void awaitHealthy() {
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

  ReplicaProcess leader() {
    return currentLeader().orElseThrow(() -> new IllegalStateException("no replica says it leads"));
  }

  /** The replica that says it leads (asked of each live replica), if any. */
  Optional<ReplicaProcess> currentLeader() {
    for (ReplicaProcess replica : replicas) {
      if (!replica.alive()) {
        continue;
      }
      try {
        if (cluster(replica).getString("leader").equals(replica.id)) {
          return Optional.of(replica);
        }
      } catch (IOException e) {
        // not answering: ask the next one
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  JsonObject cluster(ReplicaProcess replica) throws IOException, InterruptedException {
    return new JsonObject(get(replica, "/v1/cluster").body());
  }

  HttpResponse<String> get(ReplicaProcess replica, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(replica.rest() + path)).timeout(Duration.ofSeconds(5))
        .header("Authorization", TestToken.BEARER).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(ReplicaProcess replica, String path, String body)
      throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(replica.rest() + path))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .header("Authorization", TestToken.BEARER)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** SIGKILL to every replica still running. */
  @Override
  public void close() {
    for (ReplicaProcess replica : replicas) {
      try {
        replica.kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static int[] freePorts(int count) throws IOException {
    int[] ports = new int[count];
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
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
