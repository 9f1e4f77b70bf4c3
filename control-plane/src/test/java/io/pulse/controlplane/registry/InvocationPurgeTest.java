package io.pulse.controlplane.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.controlplane.async.Invocation;
import io.pulse.controlplane.async.InvocationExistsException;
import io.pulse.controlplane.async.InvocationState;
import io.pulse.controlplane.state.InvocationHorizon;
import io.pulse.controlplane.state.StateStore;
import io.pulse.controlplane.state.StoredEntry;
import io.pulse.controlplane.state.StoredInvocation;
import io.pulse.controlplane.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Purging invocation entries past the horizon, on one replica over RocksDB, with a manual clock. */
class InvocationPurgeTest {

  private static final Instant T0 = Instant.parse("2026-12-03T12:00:00Z");
  private static final Duration HORIZON = Duration.ofHours(24);

  @TempDir
  Path dir;

  private final ManualClock clock = new ManualClock(T0);
  private final FakeReplication replication = new FakeReplication();
  private StateStore store;
  private ReplicatedFunctionRegistry registry;

  /** A leader (or a follower) that records what it was asked to offer and remove. */
  private static final class FakeReplication implements RegistryReplication {
    volatile boolean leader = true;
    final List<StoredEntry> offered = new CopyOnWriteArrayList<>();
    final List<String> removed = new CopyOnWriteArrayList<>();
    volatile Consumer<StoredEntry> listener = e -> {};

    @Override
    public long writeEpoch() {
      if (!leader) {
        throw new NotLeaderException("not the leader", null, null);
      }
      return 1;
    }

    @Override
    public void replicate(StoredEntry entry) {}

    final Map<String, StoredEntry> shared = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public Map<String, StoredEntry> entries() {
      return Map.copyOf(shared);
    }

    @Override
    public void offer(StoredEntry entry) {
      offered.add(entry);
    }

    @Override
    public void remove(java.util.Collection<String> keys) {
      removed.addAll(keys);
    }

    @Override
    public void listen(Consumer<StoredEntry> listener) {
      this.listener = listener;
    }
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Throwable failureOf(io.vertx.core.Future<?> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().handle((ok, error) -> error).get(10, TimeUnit.SECONDS);
  }

  private void open() {
    store = StateStore.rocksDb(dir);
    registry = new ReplicatedFunctionRegistry(clock, store, replication, new InvocationHorizon(HORIZON));
  }

  private void reopen() {
    registry.close();
    store.close();
    open();
  }

  @AfterEach
  void closeAll() {
    registry.close();
    store.close();
  }

  private Invocation accepted(String id) {
    return Invocation.accepted(id, "fn", "POST", "/", List.of(), "", null, clock.instant());
  }

  /** Accepted, run, succeeded and forgotten now: a tombstone forgotten at the clock's time. */
  private void runAndForget(String id) throws Exception {
    Invocation running = await(registry.change(await(registry.accept(accepted(id))).running()));
    await(registry.change(running.finished(InvocationState.SUCCEEDED, new Invocation.Outcome(200, "", null),
        clock.instant())));
    await(registry.forget(id));
  }

  @Test
  void leader_keepsATombstoneUntilTheHorizon_thenDropsItFromStoreMapAndMemory() throws Exception {
    open();
    runAndForget("a");
    clock.advance(Duration.ofHours(1));
    runAndForget("b");

    clock.advance(HORIZON.minus(Duration.ofHours(1)).minusMillis(1));
    assertThat(await(registry.purgeExpired())).as("nothing past the horizon yet").isZero();
    assertThat(failureOf(registry.accept(accepted("a")))).as("the tombstone still guards the id")
        .isInstanceOf(InvocationExistsException.class);

    clock.advance(Duration.ofMillis(1));
    assertThat(await(registry.purgeExpired())).isEqualTo(1);
    assertThat(replication.removed).containsExactly(StoredInvocation.keyOf("a"));
    reopen();
    assertThat(store.loadAll()).as("on disk").doesNotContainKey(StoredInvocation.keyOf("a"))
        .containsKey(StoredInvocation.keyOf("b"));

    clock.advance(Duration.ofHours(1));
    assertThat(await(registry.purgeExpired())).isEqualTo(1);
    assertThat(store.loadAll()).isEmpty();
    assertThat(registry.invocations()).isEmpty();
    // Memory: a new write copies nothing of the purged entries (the entries map is what every write copies).
    await(registry.accept(accepted("c")));
    assertThat(store.loadAll()).containsOnlyKeys(StoredInvocation.keyOf("c"));
  }

  @Test
  void follower_purgesItsOwnStore_butLeavesTheMapToTheLeader() throws Exception {
    open();
    runAndForget("a");
    replication.leader = false;
    clock.advance(HORIZON);
    assertThat(await(registry.purgeExpired())).isEqualTo(1);
    assertThat(store.loadAll()).isEmpty();
    assertThat(replication.removed).isEmpty();
  }

  @Test
  void expiredEntry_fromAMapEvent_isNeitherPersistedNorServed() throws Exception {
    replication.leader = false;
    open();
    Invocation stale = accepted("old");
    clock.advance(HORIZON);
    replication.listener.accept(StoredInvocation.live(9, stale));
    replication.listener.accept(StoredInvocation.tombstone("gone", 10, T0));
    Invocation fresh = accepted("new");
    replication.listener.accept(StoredInvocation.live(11, fresh));
    assertThat(registry.invocations()).containsOnlyKeys("new");
    assertThat(store.loadAll()).containsOnlyKeys(StoredInvocation.keyOf("new"));
  }

  @Test
  void oldDataDir_itsExpiredEntriesAreDroppedOnOpen_neitherServedNorOfferedByTheMerge() throws Exception {
    open();
    await(registry.accept(accepted("stale")));
    runAndForget("forgotten");
    clock.advance(Duration.ofHours(2));
    await(registry.accept(accepted("recent")));
    registry.close();
    store.close();

    clock.advance(HORIZON.minus(Duration.ofHours(1))); // the replica was away longer than the horizon
    open();
    assertThat(registry.invocations()).containsOnlyKeys("recent");
    assertThat(store.loadAll()).as("dropped from disk as it opened").containsOnlyKeys(StoredInvocation.keyOf("recent"));
    await(registry.mergeWithCluster());
    assertThat(replication.offered).extracting(StoredEntry::key).containsExactly(StoredInvocation.keyOf("recent"));
    assertThat(await(registry.purgeExpired())).isZero();
  }

  @Test
  void merge_onTheLeader_removesFromTheMapWhatAnEarlierLeaderLeftThere() throws Exception {
    open();
    StoredInvocation leftOver = StoredInvocation.tombstone("left", 3, T0);
    StoredInvocation recent = StoredInvocation.tombstone("recent", 4, T0.plus(HORIZON));
    replication.shared.put(leftOver.key(), leftOver);
    replication.shared.put(recent.key(), recent);
    clock.advance(HORIZON);
    await(registry.mergeWithCluster());
    assertThat(replication.removed).containsExactly(leftOver.key());
    assertThat(registry.storedInvocationEntries()).as("only the recent one taken").isEqualTo(1);
  }
}
