package io.pulse.controlplane.state;

/**
 * Whether an operator asked to drain a worker, kept per worker id under {@code drain/ID} (no function name has a
 * '/'), on the registry's discipline: one writer, one sequence, every replica's store and the replicated map. A resume
 * is kept too ({@code draining == false}), so that a replica that missed it cannot bring the drain back when copies are
 * merged. A new leader reads these to keep drained workers drained.
 */
public record StoredDrain(String workerId, long seq, boolean draining) implements StoredEntry {

  static final String KEY_PREFIX = "drain/";

  public StoredDrain {
    if (workerId.isEmpty()) {
      throw new IllegalArgumentException("workerId must not be empty");
    }
    if (seq <= 0) {
      throw new IllegalArgumentException("seq must be > 0, was " + seq);
    }
  }

  public static String keyOf(String workerId) {
    return KEY_PREFIX + workerId;
  }

  @Override
  public String key() {
    return keyOf(workerId);
  }

  /** A resumed worker's entry is the tombstone of its drain. */
  @Override
  public boolean deleted() {
    return !draining;
  }
}
