package io.pulse.bench.experiment;

import io.grpc.ManagedChannel;
import io.pulse.api.v1.ListSandboxesRequest;
import io.pulse.api.v1.SandboxInfo;
import io.pulse.api.v1.WorkerServiceGrpc;
import io.pulse.bench.driver.PulseProcess;
import io.pulse.common.grpc.GrpcChannels;
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
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Three control-plane replicas, one worker daemon (fake runtime, sandboxes serving HTTP) and one data plane, each its
 * own {@code pulse} process on 127.0.0.1, with the calls the failover experiment makes of them (blocking: call from a
 * non-event-loop thread).
 */
final class FailoverCluster implements AutoCloseable {

  private static final Duration STARTUP = Duration.ofSeconds(180);

  record Replica(String id, int restPort, int grpcPort, PulseProcess process) {
    String rest() {
      return "http://127.0.0.1:" + restPort;
    }
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Replica> replicas = new ArrayList<>();
  private final PulseProcess worker;
  private final PulseProcess dataPlane;
  private final int workerGrpcPort;
  private final int gatewayPort;
  private final ManagedChannel workerChannel;
  private final String apiToken;

  private FailoverCluster(List<String> launcher, Path dir) throws IOException {
    // One REST API token for the three replicas, written before they start (mode 0600).
    java.nio.file.Files.createDirectories(dir);
    Path tokenFile = dir.resolve("api-token");
    byte[] random = new byte[32];
    new java.security.SecureRandom().nextBytes(random);
    apiToken = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    java.nio.file.Files.deleteIfExists(tokenFile);
    java.nio.file.Files.createFile(tokenFile, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    java.nio.file.Files.writeString(tokenFile, apiToken + "\n");
    int[] ports = freePorts(13);
    List<String> members = List.of("127.0.0.1:" + ports[6], "127.0.0.1:" + ports[7], "127.0.0.1:" + ports[8]);
    List<String> seeds = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String id = "cp-" + (i + 1);
      seeds.add("127.0.0.1:" + ports[3 + i]);
      replicas.add(new Replica(id, ports[i], ports[3 + i], new PulseProcess(id, launcher, List.of("control-plane",
          "--bind", "127.0.0.1", "--advertise-host", "127.0.0.1", "--replica-id", id,
          "--rest-port", Integer.toString(ports[i]), "--grpc-port", Integer.toString(ports[3 + i]),
          "--cluster-port", Integer.toString(ports[6 + i]), "--members", String.join(",", members),
          "--data-dir", dir.resolve(id + "-data").toString(), "--api-token-file", tokenFile.toString()),
          dir.resolve(id + ".log"))));
    }
    workerGrpcPort = ports[9];
    worker = new PulseProcess("worker", launcher, List.of("worker", "--bind", "127.0.0.1", "--id", "bench-worker",
        "--grpc-port", Integer.toString(ports[9]), "--admin-port", Integer.toString(ports[10]),
        "--control-plane", String.join(",", seeds), "--runtime", "fake", "--cpu-millis", "8000",
        "--memory-mib", "8192", "--data-dir", dir.resolve("worker-data").toString()), dir.resolve("worker.log"));
    gatewayPort = ports[11];
    dataPlane = new PulseProcess("data-plane", launcher, List.of("data-plane", "--bind", "127.0.0.1",
        "--id", "bench-dp", "--http-port", Integer.toString(ports[11]), "--admin-port", Integer.toString(ports[12]),
        "--control-plane", String.join(",", seeds)), dir.resolve("data-plane.log"));
    workerChannel = GrpcChannels.plaintext("127.0.0.1:" + workerGrpcPort);
  }

  /** Starts everything and waits until the replicas agree on a leader and the worker is registered with it. */
  static FailoverCluster start(List<String> launcher, Path dir) throws IOException {
    FailoverCluster cluster = new FailoverCluster(launcher, dir);
    try {
      cluster.replicas.forEach(r -> r.process().start());
      cluster.awaitHealthy();
      cluster.worker.start();
      cluster.dataPlane.start();
      await("the worker to register with the leader", STARTUP, () -> {
        JsonObject workers = cluster.getJson(cluster.leader(), "/v1/workers");
        return workers != null && workers.getJsonArray("workers").size() == 1 ? Optional.of(true) : Optional.empty();
      });
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  String gateway(String function) {
    return "http://127.0.0.1:" + gatewayPort + "/fn/" + function + "/";
  }

  /** Waits until all three replicas run, see each other and name one leader that says it leads. */
  void awaitHealthy() {
    await("three replicas agreeing on a leader", STARTUP, () -> {
      Set<String> leaders = new HashSet<>();
      for (Replica replica : replicas) {
        JsonObject cluster = getJson(replica, "/v1/cluster");
        if (!replica.process().alive() || cluster == null || cluster.getJsonArray("members").size() != 3) {
          return Optional.empty();
        }
        leaders.add(cluster.getString("leader"));
      }
      return leaders.size() == 1 && currentLeader().isPresent() ? Optional.of(true) : Optional.empty();
    });
  }

  Replica leader() {
    return currentLeader().orElseThrow(() -> new IllegalStateException("no replica says it leads"));
  }

  /** The live replica that says it leads, if any. */
  Optional<Replica> currentLeader() {
    for (Replica replica : replicas) {
      if (replica.process().alive()) {
        JsonObject cluster = getJson(replica, "/v1/cluster");
        if (cluster != null && replica.id().equals(cluster.getString("leader"))) {
          return Optional.of(replica);
        }
      }
    }
    return Optional.empty();
  }

  long epoch(Replica replica) {
    JsonObject cluster = getJson(replica, "/v1/cluster");
    return cluster == null ? 0 : cluster.getLong("epoch");
  }

  /** Registers a function on the leader; fails naming it unless the answer is 2xx. */
  void deploy(JsonObject spec) {
    Replica leader = leader();
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(leader.rest() + "/v1/functions"))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + apiToken)
        .POST(HttpRequest.BodyPublishers.ofString(spec.encode())).build());
    if (response == null || response.statusCode() / 100 != 2) {
      throw new IllegalStateException("registering " + spec.getString("name") + " failed: "
          + (response == null ? "no answer" : response.statusCode() + " " + response.body()));
    }
  }

  /**
   * The sandboxes of {@code function} the worker runs now (its own listing, over gRPC); none when the worker did not
   * answer in time (a busy machine): the caller polls again, and the figure is the sandbox's own creation time, so a
   * late listing does not move it.
   */
  List<SandboxInfo> sandboxes(String function) {
    try {
      return WorkerServiceGrpc.newBlockingStub(workerChannel).withDeadlineAfter(2, TimeUnit.SECONDS)
          .listSandboxes(ListSandboxesRequest.getDefaultInstance()).getSandboxesList().stream()
          .filter(s -> s.getFunction().equals(function)).collect(Collectors.toList());
    } catch (io.grpc.StatusRuntimeException e) {
      return List.of();
    }
  }

  List<Replica> replicas() {
    return List.copyOf(replicas);
  }

  private JsonObject getJson(Replica replica, String path) {
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(replica.rest() + path))
        .timeout(Duration.ofSeconds(2)).header("Authorization", "Bearer " + apiToken).GET().build());
    return response == null || response.statusCode() != 200 ? null : new JsonObject(response.body());
  }

  /** The answer, or null when the replica did not answer (dead, stopped, starting). */
  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Polls {@code condition} every 20 ms until it yields a value; fails naming {@code what} after {@code timeout}. */
  static <T> T await(String what, Duration timeout, Supplier<Optional<T>> condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<T> value = condition.get();
      if (value.isPresent()) {
        return value.get();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what, e);
      }
    }
  }

  /** SIGKILL to everything still running. */
  @Override
  public void close() {
    GrpcChannels.close(workerChannel);
    dataPlane.kill();
    worker.kill();
    replicas.forEach(r -> r.process().kill());
  }

  static int[] freePorts(int count) throws IOException {
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
