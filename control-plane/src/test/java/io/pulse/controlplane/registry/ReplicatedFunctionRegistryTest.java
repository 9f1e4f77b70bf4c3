package io.pulse.controlplane.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.controlplane.api.json.FunctionSpecParser;
import io.pulse.controlplane.registry.FunctionRegistry.FunctionEvent;
import io.pulse.controlplane.state.StateStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durable registry on one replica over a real RocksDB store, closed and reopened in between. */
class ReplicatedFunctionRegistryTest {

  @TempDir
  Path dir;

  private static FunctionSpec spec(String name, String arg) {
    return FunctionSpecParser.parse(new JsonObject().put("name", name)
        .put("command", new JsonArray().add("echo").add(arg)));
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private ReplicatedFunctionRegistry open(StateStore store) {
    return open(store, Clock.systemUTC());
  }

  private ReplicatedFunctionRegistry open(StateStore store, Clock clock) {
    return new ReplicatedFunctionRegistry(clock, store, RegistryReplication.solo(1));
  }

  @Test
  void drains_surviveReopeningTheStore_andAResumeEndsThem() throws Exception {
    StateStore store = StateStore.rocksDb(dir);
    ReplicatedFunctionRegistry registry = open(store);
    await(registry.setDraining("w-1", true));
    await(registry.setDraining("w-2", true));
    await(registry.setDraining("w-2", false));
    assertThat(registry.drained()).containsExactly("w-1");
    registry.close();
    store.close();

    StateStore reopenedStore = StateStore.rocksDb(dir);
    ReplicatedFunctionRegistry reopened = open(reopenedStore);
    try {
      assertThat(reopened.drained()).containsExactly("w-1");
      assertThat(reopened.snapshot()).as("no function among them").isEmpty();
    } finally {
      reopened.close();
      reopenedStore.close();
    }
  }

  @Test
  void writes_surviveReopeningTheStore() throws Exception {
    StateStore store = StateStore.rocksDb(dir);
    ReplicatedFunctionRegistry registry = open(store);
    List<FunctionEvent> events = new CopyOnWriteArrayList<>();
    registry.subscribe(events::add);
    await(registry.create(spec("a", "1")));
    await(registry.create(spec("b", "1")));
    await(registry.update(spec("a", "2")));
    await(registry.delete("b"));
    assertThat(events).hasSize(4);
    registry.close();
    store.close();

    StateStore reopenedStore = StateStore.rocksDb(dir);
    ReplicatedFunctionRegistry reopened = open(reopenedStore);
    try {
      assertThat(reopened.snapshot()).containsOnlyKeys("a");
      assertThat(reopened.get("a").orElseThrow().revision()).isEqualTo(2);
      assertThat(reopened.get("a").orElseThrow().spec().command()).containsExactly("echo", "2");
      // A name deleted before the restart can be created again, from revision 1.
      assertThat(await(reopened.create(spec("b", "3"))).revision()).isEqualTo(1);
      assertThat(reopened.highestSeq()).isEqualTo(5);
    } finally {
      reopened.close();
      reopenedStore.close();
    }
  }

  @Test
  void invocations_surviveReopeningTheStore_andAForgottenIdIsNeverTakenAgain() throws Exception {
    java.time.Instant t0 = java.time.Instant.parse("2026-12-03T12:00:00Z");
    // The registry's clock stands a minute after the invocations: kept ones expire by the wall clock a day on.
    Clock clock = Clock.fixed(t0.plusSeconds(60), java.time.ZoneOffset.UTC);
    StateStore store = StateStore.rocksDb(dir);
    ReplicatedFunctionRegistry registry = open(store, clock);
    io.pulse.controlplane.async.Invocation kept = io.pulse.controlplane.async.Invocation.accepted("i1", "web",
        "POST", "/x?y=1", List.of(new io.pulse.controlplane.async.Invocation.Header("X-A", "b")), "aGk=",
        "http://127.0.0.1:1/cb", t0);
    io.pulse.controlplane.async.Invocation done = io.pulse.controlplane.async.Invocation.accepted("i2", "web",
        "GET", "/", List.of(), "", null, t0).running().finished(io.pulse.controlplane.async.InvocationState.FAILED,
        new io.pulse.controlplane.async.Invocation.Outcome(500, "Ym9vbQ==", "boom"), t0.plusSeconds(1));
    await(registry.accept(kept));
    await(registry.accept(done.queued(t0, done.result()).running()));
    await(registry.change(done));
    await(registry.accept(io.pulse.controlplane.async.Invocation.accepted("i3", "web", "GET", "/", List.of(), "",
        null, t0)));
    await(registry.forget("i3"));
    registry.close();
    store.close();

    StateStore reopenedStore = StateStore.rocksDb(dir);
    ReplicatedFunctionRegistry reopened = open(reopenedStore, clock);
    try {
      assertThat(reopened.invocations()).containsOnlyKeys("i1", "i2");
      assertThat(reopened.invocations().get("i1")).isEqualTo(kept);
      assertThat(reopened.invocations().get("i2")).isEqualTo(done);
      assertThat(reopened.accept(io.pulse.controlplane.async.Invocation.accepted("i3", "web", "GET", "/",
          List.of(), "", null, t0)).toCompletionStage().toCompletableFuture())
          .failsWithin(java.time.Duration.ofSeconds(10)).withThrowableThat()
          .withCauseInstanceOf(io.pulse.controlplane.async.InvocationExistsException.class);
    } finally {
      reopened.close();
      reopenedStore.close();
    }
  }

  @Test
  void update_toTheSameSpec_writesNothingAndKeepsTheRevision() throws Exception {
    StateStore store = StateStore.inMemory();
    ReplicatedFunctionRegistry registry = open(store);
    try {
      FunctionRecord created = await(registry.create(spec("a", "1")));
      List<FunctionEvent> events = new CopyOnWriteArrayList<>();
      registry.subscribe(events::add);

      FunctionRecord answered = await(registry.update(spec("a", "1")));

      assertThat(answered).isEqualTo(created);
      assertThat(registry.highestSeq()).isEqualTo(1);
      assertThat(store.loadAll().get("a").seq()).isEqualTo(1);
      assertThat(events).isEmpty();
      assertThat(await(registry.update(spec("a", "2"))).revision()).as("a change still makes a revision")
          .isEqualTo(2);
    } finally {
      registry.close();
    }
  }

  @Test
  void anEntryWhoseEventDiedWithAReplicaThatLeft_isTakenFromTheMapOnceItLeft() throws Exception {
    // What the leader wrote: in the map (its backup survived the owner) and on a majority's disks.
    StateStore leaderStore = StateStore.inMemory();
    ReplicatedFunctionRegistry leader = open(leaderStore);
    await(leader.create(spec("missed", "1")));
    leader.close();
    java.util.Map<String, io.pulse.controlplane.state.StoredEntry> map = leaderStore.loadAll();

    // This follower never heard of it: the event died with the replica that owned the entry.
    List<Runnable> replicaLeft = new CopyOnWriteArrayList<>();
    RegistryReplication follower = new RegistryReplication() {
      @Override
      public long writeEpoch() {
        throw new NotLeaderException("replica cp-2 is not the leader", null, null);
      }

      @Override
      public void replicate(io.pulse.controlplane.state.StoredEntry entry) {}

      @Override
      public java.util.Map<String, io.pulse.controlplane.state.StoredEntry> entries() {
        return map;
      }

      @Override
      public void offer(io.pulse.controlplane.state.StoredEntry entry) {}

      @Override
      public void listen(java.util.function.Consumer<io.pulse.controlplane.state.StoredEntry> listener) {}

      @Override
      public void onReplicaLeft(Runnable action) {
        replicaLeft.add(action);
      }
    };
    StateStore store = StateStore.inMemory();
    ReplicatedFunctionRegistry registry = new ReplicatedFunctionRegistry(Clock.systemUTC(), store, follower);
    try {
      assertThat(registry.get("missed")).isEmpty();
      replicaLeft.forEach(Runnable::run);
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
          .until(() -> registry.get("missed").isPresent());
      assertThat(store.loadAll()).as("on this disk too").containsOnlyKeys(map.keySet());
    } finally {
      registry.close();
    }
  }

  @Test
  void write_onAFollower_failsWithTheLeaderHint() throws Exception {
    StateStore store = StateStore.inMemory();
    RegistryReplication follower = new RegistryReplication() {
      @Override
      public long writeEpoch() {
        throw new NotLeaderException("replica cp-2 is not the leader; the leader is cp-1, retry at http://h:1",
            "cp-1", "h:1");
      }

      @Override
      public void replicate(io.pulse.controlplane.state.StoredEntry entry) {}

      @Override
      public java.util.Map<String, io.pulse.controlplane.state.StoredEntry> entries() {
        return java.util.Map.of();
      }

      @Override
      public void offer(io.pulse.controlplane.state.StoredEntry entry) {}

      @Override
      public void listen(java.util.function.Consumer<io.pulse.controlplane.state.StoredEntry> listener) {}
    };
    ReplicatedFunctionRegistry registry = new ReplicatedFunctionRegistry(Clock.systemUTC(), store, follower);
    try {
      Throwable failure = registry.create(spec("a", "1")).toCompletionStage().toCompletableFuture()
          .handle((ok, error) -> error).get(10, TimeUnit.SECONDS);
      assertThat(failure).isInstanceOf(NotLeaderException.class).hasMessageContaining("cp-1");
      assertThat(store.loadAll()).isEmpty();
    } finally {
      registry.close();
    }
  }
}
