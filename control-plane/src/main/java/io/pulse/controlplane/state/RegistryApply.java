package io.pulse.controlplane.state;

import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.registry.FunctionRegistry.FunctionExistsException;
import io.pulse.controlplane.registry.FunctionRegistry.FunctionNotFoundException;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The registry's state transition, pure: the entry a command produces from the current one, stamped with {@code seq}
 * and {@code now}. Revisions start at 1 and grow by one per update that changes the spec (an update to the same spec
 * answers {@code current} itself, which the caller does not write); as in the in-memory registry, a function created
 * again after a delete starts at 1 again. {@code seq} is what orders copies.
 */
public final class RegistryApply {

  private RegistryApply() {}

  /**
   * @throws FunctionExistsException create of a live name
   * @throws FunctionNotFoundException update or delete of a missing or deleted name
   */
  public static StoredFunction apply(@Nullable StoredFunction current, RegistryCommand command, long seq,
      Instant now) {
    FunctionRecord live = current == null ? null : current.function();
    return switch (command) {
      case RegistryCommand.Create create -> {
        if (live != null) {
          throw new FunctionExistsException(create.name());
        }
        yield StoredFunction.of(seq, new FunctionRecord(create.spec(), 1, now, now));
      }
      case RegistryCommand.Update update -> {
        if (live == null) {
          throw new FunctionNotFoundException(update.name());
        }
        if (live.spec().equals(update.spec())) {
          yield current; // the same spec: no new revision, so no instance is replaced for nothing
        }
        yield StoredFunction.of(seq, new FunctionRecord(update.spec(), live.revision() + 1, live.createdAt(), now));
      }
      case RegistryCommand.Delete delete -> {
        if (live == null) {
          throw new FunctionNotFoundException(delete.name());
        }
        yield StoredFunction.tombstone(delete.name(), seq);
      }
    };
  }
}
