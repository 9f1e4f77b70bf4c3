package io.pulse.controlplane.registry;

import io.pulse.common.collect.ShardedMap;
import io.pulse.controlplane.async.Invocation;
import io.pulse.controlplane.async.InvocationRegistry;
import io.pulse.controlplane.secrets.SealedValue;
import io.pulse.controlplane.secrets.SecretRecord;
import io.pulse.controlplane.secrets.SecretRegistry;
import io.pulse.controlplane.state.InvocationHorizon;
import io.pulse.controlplane.state.RegistryApply;
import io.pulse.controlplane.state.RegistryCommand;
import io.pulse.controlplane.state.StateStore;
import io.pulse.controlplane.membership.DrainStore;
import io.pulse.controlplane.state.StoredDrain;
import io.pulse.controlplane.state.StoredEntry;
import io.pulse.controlplane.state.StoredFunction;
import io.pulse.controlplane.state.StoredInvocation;
import io.pulse.controlplane.state.StoredSecret;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable, replicated registry. One writer: only the leader applies commands, on one thread, in this order:
 * assign the next sequence number, compute the entry ({@link RegistryApply}), queue it to the local
 * {@link StateStore} (whose group commit fsyncs the writes queued meanwhile together), put it into the replicated map,
 * wait until a majority of replicas have it on disk (each follower confirms once it has persisted it), publish the
 * local snapshot, and only then, once the local fsync is done too, acknowledge. Followers
 * persist what arrives from the map (higher sequence wins) and publish it. On start a
 * replica serves what its own store holds; {@link #mergeWithCluster()} exchanges copies with the map (highest
 * sequence wins per name), which is how a whole-cluster restart recovers every acknowledged registration. Secrets
 * (sealed), workers' drains and accepted async invocations go through the same writer, sequence, store and map,
 * under keys of their own. Invocation entries past the {@link InvocationHorizon} are purged from the store, the
 * memory and (by the leader) the map, and never persisted or offered again.
 */
public final class ReplicatedFunctionRegistry implements FunctionRegistry, SecretRegistry, DrainStore,
    InvocationRegistry, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ReplicatedFunctionRegistry.class);
  /** How often each replica purges (a quarter of a shorter horizon); a tombstone lives the horizon plus this. */
  private static final java.time.Duration PURGE_PERIOD = java.time.Duration.ofMinutes(1);

  private final Clock clock;
  private final StateStore store;
  private final RegistryReplication replication;
  private final InvocationHorizon horizon;
  private final ScheduledExecutorService writer;
  private final List<Consumer<FunctionEvent>> listeners = new CopyOnWriteArrayList<>();
  private final Object applyLock = new Object();
  /**
   * Every entry by key, tombstones included; swapped under applyLock. Sharded (as {@link #functions}): a write copies
   * one shard, not every entry, so a burst of registrations does not cost O(functions) each.
   */
  private volatile ShardedMap<StoredEntry> entries;
  /** The live functions; swapped under applyLock. */
  private volatile ShardedMap<FunctionRecord> functions;
  /** The live secrets (sealed); swapped under applyLock. */
  private volatile Map<String, SecretRecord> secrets;
  /** The drained workers' ids; swapped under applyLock. */
  private volatile Set<String> drained;
  /** The kept async invocations; swapped under applyLock. */
  private volatile Map<String, Invocation> invocations;
  private volatile long highestSeq;
  /** Writer thread only: the epoch whose term the writer last synchronised with the map. */
  private long syncedEpoch = -1;
  /** Writer thread only: the local store's fsync of the last write (completes after every earlier one's). */
  private CompletableFuture<Void> lastWrite = CompletableFuture.completedFuture(null);

  public ReplicatedFunctionRegistry(Clock clock, StateStore store, RegistryReplication replication) {
    this(clock, store, replication, InvocationHorizon.DEFAULT);
  }

  public ReplicatedFunctionRegistry(Clock clock, StateStore store, RegistryReplication replication,
      InvocationHorizon horizon) {
    this.clock = clock;
    this.store = store;
    this.replication = replication;
    this.horizon = horizon;
    Map<String, StoredEntry> loaded = new HashMap<>(store.loadAll());
    // An old data dir may hold entries the others purged long ago: drop them before anything serves or offers them.
    List<String> expired = horizon.expiredKeys(loaded, clock.instant());
    store.delete(expired);
    loaded.keySet().removeAll(expired);
    this.entries = ShardedMap.copyOf(loaded);
    this.functions = ShardedMap.copyOf(live(loaded, StoredFunction.class, StoredFunction::function));
    this.secrets = live(loaded, StoredSecret.class, StoredSecret::secret);
    this.drained = live(loaded, StoredDrain.class, d -> d.draining() ? d : null).keySet();
    this.invocations = live(loaded, StoredInvocation.class, StoredInvocation::invocation);
    this.highestSeq = loaded.values().stream().mapToLong(StoredEntry::seq).max().orElse(0);
    this.writer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("pulse-registry-writer")
        .daemon().factory());
    long purgeMs = Math.max(1, Math.min(PURGE_PERIOD.toMillis(), horizon.horizon().toMillis() / 4));
    writer.scheduleWithFixedDelay(this::purgeQuietly, purgeMs, purgeMs, TimeUnit.MILLISECONDS);
    replication.listen(this::received);
    // An entry whose event died with the replica that left may be missing here: take it from the map.
    replication.onReplicaLeft(this::catchUpSoon);
    LOG.atInfo().setMessage("registry loaded").addKeyValue("functions", functions.size())
        .addKeyValue("secrets", secrets.size()).addKeyValue("invocations", invocations.size())
        .addKeyValue("entries", loaded.size()).addKeyValue("purged", expired.size())
        .addKeyValue("highestSeq", highestSeq).log();
  }

  @Override
  public Future<FunctionRecord> create(FunctionSpec spec) {
    return submit(new RegistryCommand.Create(spec), ReplicatedFunctionRegistry::function);
  }

  @Override
  public Future<FunctionRecord> update(FunctionSpec spec) {
    return submit(new RegistryCommand.Update(spec), ReplicatedFunctionRegistry::function);
  }

  @Override
  public Future<FunctionRecord> delete(String name) {
    return submit(new RegistryCommand.Delete(name), ReplicatedFunctionRegistry::function);
  }

  @Override
  public Future<SecretRecord> createSecret(String name, SealedValue value) {
    return submit(new RegistryCommand.CreateSecret(name, value), ReplicatedFunctionRegistry::secret);
  }

  @Override
  public Future<SecretRecord> updateSecret(String name, SealedValue value) {
    return submit(new RegistryCommand.UpdateSecret(name, value), ReplicatedFunctionRegistry::secret);
  }

  @Override
  public Future<SecretRecord> deleteSecret(String name) {
    return submit(new RegistryCommand.DeleteSecret(name), ReplicatedFunctionRegistry::secret);
  }

  @Override
  public Map<String, SecretRecord> secrets() {
    return secrets;
  }

  @Override
  public Future<Void> setDraining(String workerId, boolean draining) {
    return submit(new RegistryCommand.SetDraining(workerId, draining), (before, after) -> null);
  }

  @Override
  public Set<String> drained() {
    return drained;
  }

  @Override
  public Future<Invocation> accept(Invocation invocation) {
    return submit(new RegistryCommand.AcceptInvocation(invocation), ReplicatedFunctionRegistry::invocation);
  }

  @Override
  public Future<Invocation> change(Invocation invocation) {
    return submit(new RegistryCommand.ChangeInvocation(invocation), ReplicatedFunctionRegistry::invocation);
  }

  @Override
  public Future<Void> forget(String id) {
    return submit(new RegistryCommand.ForgetInvocation(id), (before, after) -> null);
  }

  @Override
  public Map<String, Invocation> invocations() {
    return invocations;
  }

  @Override
  public Optional<FunctionRecord> get(String name) {
    return Optional.ofNullable(functions.get(name));
  }

  @Override
  public Map<String, FunctionRecord> snapshot() {
    return functions;
  }

  @Override
  public void subscribe(Consumer<FunctionEvent> listener) {
    listeners.add(listener);
  }

  /** Invocation entries held here, tombstones included (what the purge bounds). */
  public long storedInvocationEntries() {
    return entries.values().stream().filter(StoredInvocation.class::isInstance).count();
  }

  /** Highest sequence number applied here (compare across replicas to see replication lag). */
  public long highestSeq() {
    return highestSeq;
  }

  /**
   * Exchanges copies with the replicated map: offers every local entry (kept where newer), then applies every map
   * entry newer than the local one. Blocking and idempotent; runs on the writer thread so no write interleaves.
   */
  public Future<Void> mergeWithCluster() {
    Promise<Void> done = Promise.promise();
    writer.execute(() -> {
      try {
        merge();
        done.complete();
      } catch (RuntimeException e) {
        done.fail(e);
      }
    });
    return done.future();
  }

  /**
   * Drops the invocation entries past the horizon from the local store and memory and, on the leader, from the
   * replicated map; answers how many. Runs on the writer thread (every {@link #PURGE_PERIOD} by itself).
   */
  public Future<Integer> purgeExpired() {
    Promise<Integer> done = Promise.promise();
    try {
      writer.execute(() -> {
        try {
          done.complete(purge());
        } catch (RuntimeException e) {
          done.fail(e);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      done.fail(new NotLeaderException("this replica is shutting down", null, null));
    }
    return done.future();
  }

  private void purgeQuietly() {
    try {
      purge();
    } catch (RuntimeException e) {
      LOG.atWarn().setCause(e).setMessage("cannot purge expired invocations").log();
    }
  }

  /** Writer thread. */
  private int purge() {
    Map<String, StoredEntry> held = entries;
    List<String> expired = horizon.expiredKeys(held, clock.instant());
    if (expired.isEmpty()) {
      return 0;
    }
    store.delete(expired);
    if (leads()) {
      replication.remove(expired);
    }
    synchronized (applyLock) {
      List<String> gone = new ArrayList<>();
      Map<String, Invocation> nextInvocations = new HashMap<>(invocations);
      for (String key : expired) {
        // Only the entry judged expired: ids are never reused, but do not drop what a write replaced meanwhile.
        if (entries.get(key) == held.get(key) && held.get(key) instanceof StoredInvocation invocation) {
          gone.add(key);
          nextInvocations.remove(invocation.id());
        }
      }
      entries = entries.with(Map.of(), gone);
      invocations = Map.copyOf(nextInvocations);
    }
    LOG.atInfo().setMessage("purged expired invocations").addKeyValue("entries", expired.size()).log();
    return expired.size();
  }

  private boolean leads() {
    try {
      replication.writeEpoch();
      return true;
    } catch (NotLeaderException e) {
      return false;
    }
  }

  @Override
  public void close() {
    writer.shutdown();
    try {
      writer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** What a write answers: the new live record, else (a delete) the one it replaced. */
  private static FunctionRecord function(@Nullable StoredEntry before, StoredEntry after) {
    FunctionRecord answer = ((StoredFunction) after).function();
    return java.util.Objects.requireNonNull(answer != null ? answer
        : before instanceof StoredFunction previous ? previous.function() : null);
  }

  private static Invocation invocation(@Nullable StoredEntry before, StoredEntry after) {
    return java.util.Objects.requireNonNull(((StoredInvocation) after).invocation());
  }

  private static SecretRecord secret(@Nullable StoredEntry before, StoredEntry after) {
    SecretRecord answer = ((StoredSecret) after).secret();
    return java.util.Objects.requireNonNull(answer != null ? answer
        : before instanceof StoredSecret previous ? previous.secret() : null);
  }

  private <T> Future<T> submit(RegistryCommand command, BiFunction<@Nullable StoredEntry, StoredEntry, T> answerOf) {
    Promise<T> answer = Promise.promise();
    try {
      writer.execute(() -> {
        Applied<T> applied;
        try {
          applied = apply(command, answerOf);
        } catch (RuntimeException e) {
          answer.fail(e);
          return;
        }
        // Answered on the writer thread, as before the store's group commit, and in the order of the writes.
        applied.durable().whenCompleteAsync((done, failure) -> {
          if (failure == null) {
            answer.complete(applied.answer());
          } else {
            answer.fail(storeFailure(failure));
          }
        }, this::onWriter);
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      answer.fail(new NotLeaderException("this replica is shutting down; retry on another", null, null));
    }
    return answer.future();
  }

  /** A command's answer, to be given once {@code durable} completes. */
  private record Applied<T>(T answer, CompletableFuture<Void> durable) {}

  /**
   * Writer thread. The entry goes to the local store without waiting for its fsync (the store's group commit shares
   * one among the writes queued meanwhile), then into the replicated map and the local snapshot; the answer waits for
   * the fsync too, so nothing is acknowledged before it is on this disk (and, replicated, on a majority's). An update
   * that changes nothing waits for the last write, whose entry it answers with.
   */
  private <T> Applied<T> apply(RegistryCommand command, BiFunction<@Nullable StoredEntry, StoredEntry, T> answerOf) {
    long epoch = replication.writeEpoch();
    if (epoch != syncedEpoch) {
      // A new term: make sure nothing written in an earlier term (by anyone) is missing here before writing.
      merge();
      syncedEpoch = epoch;
    }
    Map<String, StoredEntry> state = entries;
    StoredEntry current = state.get(command.key());
    StoredEntry next = RegistryApply.next(state, command, highestSeq + 1, clock.instant());
    if (next != current) { // else an update that changes nothing
      lastWrite = store.putAsync(next);
      try {
        replication.replicate(next);
      } finally {
        // Without a majority's confirmation the caller hears 503, but the entry is on its way to this disk and may
        // be in the map: it can still spread, so this replica serves it too and its sequence number is not reused.
        publish(next);
      }
    }
    return new Applied<>(answerOf.apply(current, next), lastWrite);
  }

  /** Runs {@code task} on the writer thread, or here once the writer has shut down (an answer is never lost). */
  private void onWriter(Runnable task) {
    try {
      writer.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      task.run();
    }
  }

  private static RuntimeException storeFailure(Throwable failure) {
    Throwable cause = failure instanceof java.util.concurrent.CompletionException c && c.getCause() != null
        ? c.getCause() : failure;
    return cause instanceof RuntimeException r ? r
        : new IllegalStateException("cannot write to the state store: " + cause.getMessage(), cause);
  }

  /** A replica left (a cluster thread): catch up on the writer thread; nothing to do once it has shut down. */
  private void catchUpSoon() {
    try {
      writer.execute(this::catchUp);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed: the store may be closed too
    }
  }

  /**
   * Writer thread, after a replica left: {@link #merge()}, as after a split. A failure (no majority now) is only
   * logged: the merge when a majority is back ({@code mergeWithCluster}) does the same.
   */
  private void catchUp() {
    try {
      merge();
    } catch (RuntimeException e) {
      LOG.atWarn().setMessage("registry catch-up after a replica left failed").addKeyValue("error", e.toString())
          .log();
    }
  }

  private void merge() {
    Map<String, StoredEntry> local = entries;
    Map<String, StoredEntry> shared = replication.entries();
    int offered = 0;
    Instant now = clock.instant();
    for (StoredEntry entry : local.values()) {
      if (!horizon.expired(entry, now) && entry.newerThan(shared.get(entry.key()))) {
        replication.offer(entry);
        offered++;
      }
    }
    // What an earlier leader did not get to remove from the map (it died, or the removal failed): this replica
    // may have purged its own copy already, so its next purge would not name those keys.
    List<String> stale = horizon.expiredKeys(shared, now);
    if (!stale.isEmpty() && leads()) {
      replication.remove(stale);
    }
    int taken = 0;
    for (StoredEntry entry : shared.values()) {
      if (persistIfNewer(entry)) {
        taken++;
      }
    }
    LOG.atInfo().setMessage("registry merged with the cluster").addKeyValue("offered", offered)
        .addKeyValue("taken", taken).addKeyValue("expired", stale.size()).addKeyValue("highestSeq", highestSeq).log();
  }

  /**
   * A map event (Hazelcast event thread); the leader's own writes arrive here too and are no-ops. Once the entry is
   * on disk here, the writer hears so: it acknowledges a write only when a majority has.
   */
  private void received(StoredEntry entry) {
    try {
      persistIfNewer(entry);
      StoredEntry held = entries.get(entry.key());
      if (held != null && held.seq() >= entry.seq()) {
        replication.acknowledge(entry);
      }
    } catch (RuntimeException e) {
      LOG.atError().setCause(e).setMessage("cannot persist a replicated entry").addKeyValue("key", entry.key())
          .addKeyValue("seq", entry.seq()).log();
    }
  }

  private boolean persistIfNewer(StoredEntry entry) {
    if (!entry.newerThan(entries.get(entry.key())) || horizon.expired(entry, clock.instant())) {
      return false; // an expired entry may be one the others purged: never bring it back
    }
    store.put(entry);
    return publish(entry);
  }

  /** Swaps the snapshots when {@code entry} is newer than what they hold, and tells the listeners, in order. */
  private boolean publish(StoredEntry entry) {
    synchronized (applyLock) {
      StoredEntry previous = entries.get(entry.key());
      if (!entry.newerThan(previous)) {
        return false;
      }
      entries = entries.with(entry.key(), entry);
      highestSeq = Math.max(highestSeq, entry.seq());
      switch (entry) {
        case StoredFunction function -> publishFunction(function, (StoredFunction) previous);
        case StoredSecret secret -> {
          Map<String, SecretRecord> nextSecrets = new HashMap<>(secrets);
          if (secret.secret() != null) {
            nextSecrets.put(secret.name(), secret.secret());
          } else {
            nextSecrets.remove(secret.name());
          }
          secrets = Map.copyOf(nextSecrets);
        }
        case StoredDrain drain -> {
          Set<String> nextDrained = new HashSet<>(drained);
          if (drain.draining()) {
            nextDrained.add(drain.workerId());
          } else {
            nextDrained.remove(drain.workerId());
          }
          drained = Set.copyOf(nextDrained);
        }
        case StoredInvocation invocation -> {
          Map<String, Invocation> next = new HashMap<>(invocations);
          if (invocation.invocation() != null) {
            next.put(invocation.id(), invocation.invocation());
          } else {
            next.remove(invocation.id());
          }
          invocations = Map.copyOf(next);
        }
      }
      return true;
    }
  }

  /** Under applyLock. */
  private void publishFunction(StoredFunction entry, @Nullable StoredFunction previous) {
    FunctionRecord function = entry.function();
    functions = function != null ? functions.with(entry.name(), function) : functions.without(entry.name());
    @Nullable FunctionRecord before = previous == null ? null : previous.function();
    if (function != null) {
      notifyListeners(new FunctionEvent.Upserted(function));
    } else if (before != null) {
      notifyListeners(new FunctionEvent.Deleted(before));
    }
  }

  private void notifyListeners(FunctionEvent event) {
    for (Consumer<FunctionEvent> listener : listeners) {
      try {
        listener.accept(event);
      } catch (RuntimeException e) {
        LOG.atWarn().setCause(e).setMessage("registry listener failed").log();
      }
    }
  }

  /** The live values of the entries of one kind, by name. */
  private static <E extends StoredEntry, V> Map<String, V> live(Map<String, StoredEntry> entries, Class<E> kind,
      java.util.function.Function<E, @Nullable V> value) {
    Map<String, V> live = new HashMap<>();
    entries.values().forEach(entry -> {
      if (kind.isInstance(entry)) {
        V v = value.apply(kind.cast(entry));
        if (v != null) {
          live.put(nameOf(entry), v);
        }
      }
    });
    return Map.copyOf(live);
  }

  private static String nameOf(StoredEntry entry) {
    return switch (entry) {
      case StoredFunction function -> function.name();
      case StoredSecret secret -> secret.name();
      case StoredDrain drain -> drain.workerId();
      case StoredInvocation invocation -> invocation.id();
    };
  }
}
