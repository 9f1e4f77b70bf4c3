package io.pulse.controlplane.registry;

import io.pulse.controlplane.state.RegistryApply;
import io.pulse.controlplane.state.RegistryCommand;
import io.pulse.controlplane.state.StateStore;
import io.pulse.controlplane.state.StoredFunction;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable, replicated registry. One writer: only the leader applies commands, on one thread, in this order:
 * assign the next sequence number, compute the entry ({@link RegistryApply}), write it to the local
 * {@link StateStore} (fsync), put it into the replicated map (synchronous backups), publish the local snapshot, and
 * only then acknowledge. Followers persist what arrives from the map (higher sequence wins) and publish it. On start a
 * replica serves what its own store holds; {@link #mergeWithCluster()} exchanges copies with the map (highest
 * sequence wins per name), which is how a whole-cluster restart recovers every acknowledged registration.
 */
public final class ReplicatedFunctionRegistry implements FunctionRegistry, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ReplicatedFunctionRegistry.class);

  private final Clock clock;
  private final StateStore store;
  private final RegistryReplication replication;
  private final ExecutorService writer;
  private final List<Consumer<FunctionEvent>> listeners = new CopyOnWriteArrayList<>();
  private final Object applyLock = new Object();
  /** Every entry, tombstones included; swapped under applyLock. */
  private volatile Map<String, StoredFunction> entries;
  /** The live functions; swapped under applyLock. */
  private volatile Map<String, FunctionRecord> functions;
  private volatile long highestSeq;
  /** Writer thread only: the epoch whose term the writer last synchronised with the map. */
  private long syncedEpoch = -1;

  public ReplicatedFunctionRegistry(Clock clock, StateStore store, RegistryReplication replication) {
    this.clock = clock;
    this.store = store;
    this.replication = replication;
    Map<String, StoredFunction> loaded = store.loadAll();
    this.entries = Map.copyOf(loaded);
    this.functions = live(loaded);
    this.highestSeq = loaded.values().stream().mapToLong(StoredFunction::seq).max().orElse(0);
    this.writer = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("pulse-registry-writer").daemon()
        .factory());
    replication.listen(this::received);
    LOG.atInfo().setMessage("registry loaded").addKeyValue("functions", functions.size())
        .addKeyValue("entries", loaded.size()).addKeyValue("highestSeq", highestSeq).log();
  }

  @Override
  public Future<FunctionRecord> create(FunctionSpec spec) {
    return submit(new RegistryCommand.Create(spec));
  }

  @Override
  public Future<FunctionRecord> update(FunctionSpec spec) {
    return submit(new RegistryCommand.Update(spec));
  }

  @Override
  public Future<FunctionRecord> delete(String name) {
    return submit(new RegistryCommand.Delete(name));
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

  @Override
  public void close() {
    writer.shutdown();
    try {
      writer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Future<FunctionRecord> submit(RegistryCommand command) {
    Promise<FunctionRecord> answer = Promise.promise();
    try {
      writer.execute(() -> {
        try {
          answer.complete(apply(command));
        } catch (RuntimeException e) {
          answer.fail(e);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      answer.fail(new NotLeaderException("this replica is shutting down; retry on another", null, null));
    }
    return answer.future();
  }

  /** Writer thread. */
  private FunctionRecord apply(RegistryCommand command) {
    long epoch = replication.writeEpoch();
    if (epoch != syncedEpoch) {
      // A new term: make sure nothing written in an earlier term (by anyone) is missing here before writing.
      merge();
      syncedEpoch = epoch;
    }
    StoredFunction current = entries.get(command.name());
    StoredFunction next = RegistryApply.apply(current, command, highestSeq + 1, clock.instant());
    if (next == current) {
      return java.util.Objects.requireNonNull(current.function()); // an update that changes nothing
    }
    store.put(next);
    replication.replicate(next);
    publish(next);
    FunctionRecord answer = next.function() != null ? next.function() : current.function();
    return java.util.Objects.requireNonNull(answer);
  }

  private void merge() {
    Map<String, StoredFunction> local = entries;
    Map<String, StoredFunction> shared = replication.entries();
    int offered = 0;
    for (StoredFunction entry : local.values()) {
      if (entry.newerThan(shared.get(entry.name()))) {
        replication.offer(entry);
        offered++;
      }
    }
    int taken = 0;
    for (StoredFunction entry : shared.values()) {
      if (persistIfNewer(entry)) {
        taken++;
      }
    }
    LOG.atInfo().setMessage("registry merged with the cluster").addKeyValue("offered", offered)
        .addKeyValue("taken", taken).addKeyValue("highestSeq", highestSeq).log();
  }

  /** A map event (Hazelcast event thread); the leader's own writes arrive here too and are no-ops. */
  private void received(StoredFunction entry) {
    try {
      persistIfNewer(entry);
    } catch (RuntimeException e) {
      LOG.atError().setCause(e).setMessage("cannot persist a replicated entry").addKeyValue("function", entry.name())
          .addKeyValue("seq", entry.seq()).log();
    }
  }

  private boolean persistIfNewer(StoredFunction entry) {
    if (!entry.newerThan(entries.get(entry.name()))) {
      return false;
    }
    store.put(entry);
    return publish(entry);
  }

  /** Swaps the snapshots when {@code entry} is newer than what they hold, and tells the listeners, in order. */
  private boolean publish(StoredFunction entry) {
    synchronized (applyLock) {
      StoredFunction previous = entries.get(entry.name());
      if (!entry.newerThan(previous)) {
        return false;
      }
      Map<String, StoredFunction> nextEntries = new HashMap<>(entries);
      nextEntries.put(entry.name(), entry);
      entries = Map.copyOf(nextEntries);
      Map<String, FunctionRecord> nextFunctions = new HashMap<>(functions);
      FunctionRecord function = entry.function();
      if (function != null) {
        nextFunctions.put(entry.name(), function);
      } else {
        nextFunctions.remove(entry.name());
      }
      functions = Map.copyOf(nextFunctions);
      highestSeq = Math.max(highestSeq, entry.seq());
      @Nullable FunctionRecord before = previous == null ? null : previous.function();
      if (function != null) {
        notifyListeners(new FunctionEvent.Upserted(function));
      } else if (before != null) {
        notifyListeners(new FunctionEvent.Deleted(before));
      }
      return true;
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

  private static Map<String, FunctionRecord> live(Map<String, StoredFunction> entries) {
    Map<String, FunctionRecord> live = new HashMap<>();
    entries.values().forEach(entry -> {
      if (entry.function() != null) {
        live.put(entry.name(), entry.function());
      }
    });
    return Map.copyOf(live);
  }
}
