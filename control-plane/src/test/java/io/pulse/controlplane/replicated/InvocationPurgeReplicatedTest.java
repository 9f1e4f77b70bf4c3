package io.pulse.controlplane.replicated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.pulse.api.v1.AcceptInvocationRequest;
import io.pulse.api.v1.AsyncInvocationServiceGrpc;
import io.pulse.controlplane.state.StateStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forgotten async invocations are purged past the horizon on every replica (three JVMs), and a replica restarted
 * from a data dir that still holds them does not bring them back. Results are kept 200 ms and the horizon is 8 s
 * here; no data plane is connected, so every attempt fails at once and a single attempt dead-letters.
 */
class InvocationPurgeReplicatedTest {

  private static final String FUNCTION = "purged";
  private static final Duration CONVERGE = Duration.ofSeconds(90);

  @TempDir
  Path dir;

  private ReplicaSet replicas;

  @AfterEach
  void stop() {
    if (replicas != null) {
      replicas.close();
    }
  }

  @Test
  void forgottenInvocations_arePurgedOnEveryReplica_andAnOldDataDirDoesNotResurrectThem() throws Exception {
    replicas = ReplicaSet.start(dir, List.of("-Dpulse.test.asyncResultTtlMs=200",
        "-Dpulse.test.invocationHorizonMs=8000"));
    ReplicaProcess leader = replicas.leader();
    JsonObject spec = new JsonObject().put("name", FUNCTION)
        .put("command", new JsonArray().add("sleep").add("1"))
        .put("scaling", new JsonObject().put("minScale", 0))
        .put("async", new JsonObject().put("maxAttempts", 1));
    assertThat(replicas.post(leader, "/v1/functions", spec.encode()).statusCode()).isEqualTo(201);

    List<String> ids = accept(leader, 5);
    ReplicaProcess stale = replicas.replicas().stream().filter(r -> r != leader).findFirst().orElseThrow();
    await().atMost(CONVERGE).until(() -> storedEntries(stale) == ids.size());
    stale.kill(); // its data dir keeps the invocations as they were (queued, or further along)

    for (ReplicaProcess replica : replicas.replicas()) {
      if (replica != stale) {
        await().atMost(CONVERGE).pollInterval(Duration.ofMillis(200)).until(() -> storedEntries(replica) == 0);
      }
    }

    stale.start();
    replicas.awaitHealthy();
    for (ReplicaProcess replica : replicas.replicas()) {
      assertThat(storedEntries(replica)).as("invocation entries on %s", replica.id).isZero();
      for (String id : ids) {
        assertThat(replicas.get(replica, "/v1/invocations/" + id).statusCode()).as("%s on %s", id, replica.id)
            .isEqualTo(404);
      }
    }

    replicas.close();
    replicas = null;
    for (ReplicaProcess replica : List.of(leader, stale)) {
      try (StateStore store = StateStore.rocksDb(replica.dataDir)) {
        assertThat(store.loadAll().keySet()).as("on the disk of %s", replica.id).containsExactly(FUNCTION);
      }
    }
  }

  /** Hands {@code count} invocations to the leader as a data plane would; answers their ids. */
  private static List<String> accept(ReplicaProcess leader, int count) throws InterruptedException {
    ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", leader.grpcPort).usePlaintext().build();
    try {
      var stub = AsyncInvocationServiceGrpc.newBlockingStub(channel);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        ids.add(stub.withDeadlineAfter(10, TimeUnit.SECONDS).acceptInvocation(AcceptInvocationRequest.newBuilder()
            .setFunction(FUNCTION).setMethod("POST").setUri("/job-" + i).build()).getInvocationId());
      }
      return ids;
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private long storedEntries(ReplicaProcess replica) throws Exception {
    for (String line : replicas.get(replica, "/metrics").body().split("\n")) {
      if (line.startsWith("pulse_async_stored_entries ")) {
        return (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
      }
    }
    throw new AssertionError("no pulse_async_stored_entries on " + replica.id);
  }
}
