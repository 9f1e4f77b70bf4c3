package io.pulse.controlplane.autoscale;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where the leader keeps each function's {@link IdleGaps} so that they outlive its term. A function's gaps are hours of
 * its history (one per quiet spell longer than its keep-alive), rebuilt only by living through the spells again; a new
 * leader that started from nothing would hold every function for its fixed keep-alive until then. Written once per
 * gap, read from a local copy: never blocks, and a write lost in a failover costs one gap, nothing more.
 */
public interface IdleGapStore {

  /** The gaps last recorded for {@code function}; {@link IdleGaps#NONE} when none. Local; never blocks. */
  IdleGaps gaps(String function);

  /** Records {@code function}'s gaps as they now are; returns at once. */
  void put(String function, IdleGaps gaps);

  /** Forgets {@code function} (deleted); returns at once. */
  void remove(String function);

  /** Kept in this object only (tests; a real control plane keeps them in its cluster or its data directory). */
  static IdleGapStore inMemory() {
    Map<String, IdleGaps> gaps = new ConcurrentHashMap<>();
    return new IdleGapStore() {
      @Override
      public IdleGaps gaps(String function) {
        return gaps.getOrDefault(function, IdleGaps.NONE);
      }

      @Override
      public void put(String function, IdleGaps recorded) {
        gaps.put(function, recorded);
      }

      @Override
      public void remove(String function) {
        gaps.remove(function);
      }
    };
  }
}
