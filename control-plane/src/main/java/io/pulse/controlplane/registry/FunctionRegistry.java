package io.pulse.controlplane.registry;

import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The durable set of functions. Writes return futures (a replicated implementation acknowledges only once the
 * write is durable); reads serve an immutable snapshot and never block.
 */
public interface FunctionRegistry {

  /** Stores a new function at revision 1; fails with {@link FunctionExistsException} if the name is taken. */
  Future<FunctionRecord> create(FunctionSpec spec);

  /**
   * Replaces a function's spec with a new revision, or answers the stored record as it is when {@code spec} equals its
   * spec (a no-op, so that sending a record back unchanged replaces no instance); fails with
   * {@link FunctionNotFoundException}.
   */
  Future<FunctionRecord> update(FunctionSpec spec);

  /** Removes a function and answers what it was; fails with {@link FunctionNotFoundException}. */
  Future<FunctionRecord> delete(String name);

  Optional<FunctionRecord> get(String name);

  /** Every function, by name; an immutable snapshot. */
  Map<String, FunctionRecord> snapshot();

  /** Called after every applied change, in order, on the thread that applied it. */
  void subscribe(Consumer<FunctionEvent> listener);

  /** A change to the registry. */
  sealed interface FunctionEvent {
    record Upserted(FunctionRecord function) implements FunctionEvent {}

    record Deleted(FunctionRecord function) implements FunctionEvent {}
  }

  final class FunctionExistsException extends RuntimeException {
    public FunctionExistsException(String name) {
      super("function '" + name + "' already exists", null, false, false);
    }
  }

  final class FunctionNotFoundException extends RuntimeException {
    public FunctionNotFoundException(String name) {
      super("function '" + name + "' not found", null, false, false);
    }
  }
}
