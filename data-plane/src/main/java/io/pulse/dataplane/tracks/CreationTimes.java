package io.pulse.dataplane.tracks;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Emergency Instance creation times as this data plane measured them: a moving average per worker for the current
 * revision of each function, and one over every creation (for a revision not created yet). Recorded once per
 * creation, read on the slow path of the track choice only.
 */
public final class CreationTimes {

  /** Weight of the newest measurement: recent enough to follow a machine getting busy. */
  private static final double WEIGHT = 0.3;
  private static final long NONE = -1;

  private record Revision(long revision, ConcurrentHashMap<String, AtomicLong> perWorker) {}

  private final ConcurrentHashMap<String, Revision> functions = new ConcurrentHashMap<>();
  private final AtomicLong overall = new AtomicLong(NONE);

  public void record(String function, long revision, String workerId, long nanos) {
    Revision held = functions.get(function);
    if (held == null || held.revision() < revision) {
      held = functions.compute(function, (f, old) -> old == null || old.revision() < revision
          ? new Revision(revision, new ConcurrentHashMap<>()) : old);
    }
    if (held.revision() == revision) {
      blend(held.perWorker().computeIfAbsent(workerId, w -> new AtomicLong(NONE)), nanos);
    }
    blend(overall, nanos);
  }

  /** The expected creation time of the revision: the mean over workers, else over every creation, else the prior. */
  public long expectedNanos(String function, long revision, long priorNanos) {
    Revision held = functions.get(function);
    if (held != null && held.revision() == revision) {
      long sum = 0;
      int n = 0;
      for (AtomicLong average : held.perWorker().values()) {
        long value = average.get();
        if (value != NONE) {
          sum += value;
          n++;
        }
      }
      if (n > 0) {
        return sum / n;
      }
    }
    long all = overall.get();
    return all != NONE ? all : priorNanos;
  }

  private static void blend(AtomicLong average, long nanos) {
    average.getAndUpdate(old -> old == NONE ? nanos : Math.round(old + WEIGHT * (nanos - old)));
  }
}
