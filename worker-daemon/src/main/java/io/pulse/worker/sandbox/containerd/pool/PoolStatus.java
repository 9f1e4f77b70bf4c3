package io.pulse.worker.sandbox.containerd.pool;

import org.jspecify.annotations.Nullable;

/**
 * One pool now: its target, members ready to claim, members being created, the failures of its creations in a row
 * with the last one's message (null after a success), and how long its last member's creation took (its refill time,
 * which the leader's automatic sizing needs; 0 before the first).
 */
public record PoolStatus(PoolKey key, int target, int ready, int creating, int failures, @Nullable String lastError,
    long refillMicros) {

  /** A pool that has not created a member yet. */
  public PoolStatus(PoolKey key, int target, int ready, int creating, int failures, @Nullable String lastError) {
    this(key, target, ready, creating, failures, lastError, 0);
  }
}
