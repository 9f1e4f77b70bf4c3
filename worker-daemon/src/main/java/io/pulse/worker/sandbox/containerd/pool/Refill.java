package io.pulse.worker.sandbox.containerd.pool;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Which pools get a new member now, and when a pool whose creations failed may try again. Pure. */
final class Refill {

  static final long FIRST_RETRY_MS = 500;
  static final long MAX_RETRY_MS = 60_000;

  private Refill() {}

  /**
   * One pool as the decider sees it.
   *
   * @param held members ready plus members being created
   * @param creating members being created
   * @param failures creations failed in a row: such a pool tries one member at a time
   * @param notBeforeMs no creation before this time (backoff after failures)
   */
  record View(PoolKey key, int target, int memoryMiB, int held, int creating, int failures, long notBeforeMs) {}

  /**
   * The pools to add one member each (a pool may appear several times), never taking the worker's pools over {@code
   * budget}: each member goes to the pool holding fewest (then the first in key order) among those below their
   * target, so that a pool filled first gives way to the others as its members are claimed. A pool whose creations
   * failed tries one member at a time, once its backoff is over.
   */
  static List<PoolKey> plan(List<View> pools, PoolBudget budget, long nowMs) {
    int members = pools.stream().mapToInt(View::held).sum();
    long memory = pools.stream().mapToLong(v -> (long) v.held() * v.memoryMiB()).sum();
    List<View> open = pools.stream().filter(v -> v.notBeforeMs() <= nowMs).sorted(Comparator.comparing(View::key))
        .toList();
    int[] held = open.stream().mapToInt(View::held).toArray();
    List<PoolKey> out = new ArrayList<>();
    while (true) {
      int pick = -1;
      for (int i = 0; i < open.size(); i++) {
        View v = open.get(i);
        boolean probing = v.failures() > 0 && (v.creating() > 0 || held[i] > v.held());
        boolean fits = !probing && held[i] < v.target() && members + 1 <= budget.members()
            && memory + v.memoryMiB() <= budget.memoryMiB();
        if (fits && (pick < 0 || held[i] < held[pick])) {
          pick = i;
        }
      }
      if (pick < 0) {
        return out;
      }
      held[pick]++;
      members++;
      memory += open.get(pick).memoryMiB();
      out.add(open.get(pick).key());
    }
  }

  /** The wait before the next creation of a pool after {@code failures} failed ones in a row: doubling, capped. */
  static long retryDelayMs(int failures) {
    if (failures <= 0) {
      return 0;
    }
    return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS << Math.min(failures - 1, 20));
  }
}
