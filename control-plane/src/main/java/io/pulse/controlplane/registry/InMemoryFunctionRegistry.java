package io.pulse.controlplane.registry;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A registry that lives and dies with the process (the walking skeleton's; the replicated one keeps the same
 * contract). Writes are serialised by a lock that guards no I/O; readers see the last published snapshot.
 */
public final class InMemoryFunctionRegistry implements FunctionRegistry {

  private final Clock clock;
  private final List<Consumer<FunctionEvent>> listeners = new CopyOnWriteArrayList<>();
  private final Object writeLock = new Object();
  private volatile Map<String, FunctionRecord> functions = Map.of();

  public InMemoryFunctionRegistry(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Future<FunctionRecord> create(FunctionSpec spec) {
    if (!spec.secrets().isEmpty()) {
      return Future.failedFuture(noSecrets());
    }
    FunctionRecord created;
    synchronized (writeLock) {
      if (functions.containsKey(spec.name())) {
        return Future.failedFuture(new FunctionExistsException(spec.name()));
      }
      Instant now = clock.instant();
      created = new FunctionRecord(spec, 1, now, now);
      publish(created);
      notifyListeners(new FunctionEvent.Upserted(created));
    }
    return Future.succeededFuture(created);
  }

  @Override
  public Future<FunctionRecord> update(FunctionSpec spec) {
    if (!spec.secrets().isEmpty()) {
      return Future.failedFuture(noSecrets());
    }
    FunctionRecord updated;
    synchronized (writeLock) {
      FunctionRecord current = functions.get(spec.name());
      if (current == null) {
        return Future.failedFuture(new FunctionNotFoundException(spec.name()));
      }
      if (current.spec().equals(spec)) {
        return Future.succeededFuture(current); // nothing changed: no revision, no rollout
      }
      updated = new FunctionRecord(spec, current.revision() + 1, current.createdAt(), clock.instant());
      publish(updated);
      notifyListeners(new FunctionEvent.Upserted(updated));
    }
    return Future.succeededFuture(updated);
  }

  @Override
  public Future<FunctionRecord> delete(String name) {
    FunctionRecord removed;
    synchronized (writeLock) {
      removed = functions.get(name);
      if (removed == null) {
        return Future.failedFuture(new FunctionNotFoundException(name));
      }
      Map<String, FunctionRecord> next = new HashMap<>(functions);
      next.remove(name);
      functions = Map.copyOf(next);
      notifyListeners(new FunctionEvent.Deleted(removed));
    }
    return Future.succeededFuture(removed);
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

  private void publish(FunctionRecord record) {
    Map<String, FunctionRecord> next = new HashMap<>(functions);
    next.put(record.name(), record);
    functions = Map.copyOf(next);
  }

  private void notifyListeners(FunctionEvent event) {
    listeners.forEach(listener -> listener.accept(event));
  }

  /** This registry keeps no secrets, so a function may name none (the durable registry keeps them). */
  private static InvalidFunctionSpecException noSecrets() {
    return new InvalidFunctionSpecException("secrets", "this control plane keeps no secrets (it runs over an"
        + " in-memory registry); start it with a data directory to use secrets");
  }
}
