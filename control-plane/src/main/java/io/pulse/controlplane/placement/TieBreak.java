package io.pulse.controlplane.placement;

/**
 * Orders workers that rank equal. Seeded, so that equal workers are not always taken in the same (id) order, yet the
 * same seed and snapshot always give the same answer (the seed is logged; nomad seeds its shuffle from the eval id).
 */
public record TieBreak(long seed, boolean byIdOnly) {

  /** Ties go to the smaller worker id. */
  public static final TieBreak BY_ID = new TieBreak(0, true);

  public static TieBreak seeded(long seed) {
    return new TieBreak(seed, false);
  }

  /** Compared first among equals; then the id. */
  long key(String workerId) {
    if (byIdOnly) {
      return 0;
    }
    // SplitMix64's finalizer over the seeded id hash: spreads ids evenly, stable across JVMs (String.hashCode is).
    long z = seed + 0x9E3779B97F4A7C15L * (workerId.hashCode() + 1L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
