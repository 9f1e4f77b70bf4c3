package io.pulse.dataplane.stats;

import java.util.concurrent.ConcurrentHashMap;

/** Lets an urgent (scale-from-zero) report through at most once per function per {@code minGapNanos}. */
final class UrgentGate {

  private final long minGapNanos;
  private final ConcurrentHashMap<String, Long> lastPassed = new ConcurrentHashMap<>();

  UrgentGate(long minGapNanos) {
    this.minGapNanos = minGapNanos;
  }

  /** True when a report for {@code function} may go now; records the pass. */
  boolean tryPass(String function, long nowNanos) {
    boolean[] passed = {false};
    lastPassed.compute(function, (f, last) -> {
      if (last == null || nowNanos - last >= minGapNanos) {
        passed[0] = true;
        return nowNanos;
      }
      return last;
    });
    return passed[0];
  }
}
