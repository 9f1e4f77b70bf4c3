package io.pulse.controlplane.state;

import io.pulse.controlplane.registry.FunctionRecord;
import org.jspecify.annotations.Nullable;

/**
 * What the registry keeps per name: the current record, or a tombstone ({@code function == null}) after a delete.
 * {@code seq} is the cluster-wide sequence number of the write that produced it, assigned by the leader; between two
 * copies of the same name the higher {@code seq} wins. Tombstones stay so that a replica that missed a delete cannot
 * bring the function back when copies are merged.
 */
public record StoredFunction(String name, long seq, @Nullable FunctionRecord function) implements StoredEntry {

  public StoredFunction {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name must not be empty");
    }
    if (seq <= 0) {
      throw new IllegalArgumentException("seq must be > 0, was " + seq);
    }
    if (function != null && !function.name().equals(name)) {
      throw new IllegalArgumentException("function name '" + function.name() + "' differs from entry name '" + name
          + "'");
    }
  }

  public static StoredFunction of(long seq, FunctionRecord function) {
    return new StoredFunction(function.name(), seq, function);
  }

  public static StoredFunction tombstone(String name, long seq) {
    return new StoredFunction(name, seq, null);
  }

  @Override
  public String key() {
    return name;
  }

  @Override
  public boolean deleted() {
    return function == null;
  }
}
