package io.pulse.controlplane.accounting;

/**
 * What one worker's pool of one function held from {@code sinceMillis} on, as its last report said: members created
 * or being created, each holding its function's memory. Pool members are never busy and never instances; their memory
 * counts as held (normalized cost), under {@link InstanceKind#POOL}.
 */
public record PoolHolding(String workerId, String function, int members, int memoryMiB, long sinceMillis) {

  /** Memory held from {@code sinceMillis} to {@code now}, MiB-milliseconds. */
  public double heldMiBMillis(long now) {
    return (double) members * memoryMiB * Math.max(0, now - sinceMillis);
  }

  /** The same holding as a folded total up to {@code now}: held memory, nothing busy, no instance created. */
  Folded folded(long now) {
    return new Folded(heldMiBMillis(now), 0, 0, 0, 0);
  }
}
