package io.pulse.worker.sandbox.containerd.pool;

/** The function revision a pool holds members of. */
public record PoolKey(String function, long revision) implements Comparable<PoolKey> {

  @Override
  public int compareTo(PoolKey other) {
    int byFunction = function.compareTo(other.function);
    return byFunction != 0 ? byFunction : Long.compare(revision, other.revision);
  }
}
