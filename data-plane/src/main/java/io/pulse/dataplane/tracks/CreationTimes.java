package io.pulse.dataplane.tracks;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;

/**
 * Emergency Instance creation times as this data plane measured them, and how much they grow with its other
 * creations under way on the same worker. Creations share a worker's containerd, shims and CPU: on two cores one
 * took ~180 ms alone and 0.6-1.3 s beside five others (issue 15's containerd probe), so what the next creation will
 * take depends on how many are under way now, not only on what the last ones took. Each worker learns a slope: the
 * share of its average alone creation (of any revision) that each other creation under way adds. Each time is stored
 * as what it would have taken alone, per worker for the current revision of each function and over every creation
 * (for a revision not created yet); an expected time is that alone time times the worker's slowdown now. Recorded
 * once per creation, read on the slow path of the track choice only.
 */
public final class CreationTimes {

  /** Weight of the newest measurement: recent enough to follow a machine getting busy. */
  private static final double WEIGHT = 0.3;
  /** The most a slope may say each other creation adds: a wild sample does not make every creation look stuck. */
  static final double MAX_SLOPE = 4;
  private static final long NONE = -1;

  private record Revision(long revision, ConcurrentHashMap<String, AtomicLong> perWorker) {}

  /**
   * What a worker's creations say of it: the average of those that ran alone, and the slope's bits
   * ({@link Double#doubleToRawLongBits}; NONE until one ran beside others with an alone average known).
   */
  private record Worker(AtomicLong aloneNanos, AtomicLong slopeBits) {
    Worker() {
      this(new AtomicLong(NONE), new AtomicLong(NONE));
    }

    double slope() {
      long bits = slopeBits.get();
      return bits == NONE ? 0 : Math.max(0, Double.longBitsToDouble(bits));
    }
  }

  private final ConcurrentHashMap<String, Revision> functions = new ConcurrentHashMap<>();
  private final AtomicLong overall = new AtomicLong(NONE);
  private final ConcurrentHashMap<String, Worker> workers = new ConcurrentHashMap<>();
  private final ToIntFunction<String> creatingOn;

  /** {@code creatingOn}: this data plane's creations under way on a worker now (never blocks for long). */
  public CreationTimes(ToIntFunction<String> creatingOn) {
    this.creatingOn = creatingOn;
  }

  /** Creation times only: as if nothing else were ever being created (tests of the rest of the choice). */
  public CreationTimes() {
    this(worker -> 0);
  }

  /**
   * A creation of the revision on the worker took {@code nanos}, with {@code othersCreating} of ours under way there
   * when it was placed. Alone, it joins the worker's alone average; beside others, it teaches the worker's slope
   * against that average (the alone ones only, so that a slope never feeds back into its own base), then is stored
   * as its alone equivalent.
   */
  public void record(String function, long revision, String workerId, long nanos, int othersCreating) {
    Revision held = functions.get(function);
    if (held == null || held.revision() < revision) {
      held = functions.compute(function, (f, old) -> old == null || old.revision() < revision
          ? new Revision(revision, new ConcurrentHashMap<>()) : old);
    }
    Worker worker = workers.computeIfAbsent(workerId, w -> new Worker());
    long alone = nanos;
    if (othersCreating <= 0) {
      blend(worker.aloneNanos(), nanos);
    } else {
      long base = worker.aloneNanos().get();
      if (base > 0) {
        // Not floored at 0 per sample: where creations do not slow each other, draws above and below the alone
        // average cancel out rather than add up to a slope.
        double sample = Math.clamp((nanos / (double) base - 1) / othersCreating, -1, MAX_SLOPE);
        worker.slopeBits().getAndUpdate(bits -> Double.doubleToRawLongBits(
            bits == NONE ? sample : blend(Double.longBitsToDouble(bits), sample)));
      }
      alone = Math.round(nanos / slowdown(workerId, othersCreating));
    }
    if (held.revision() == revision) {
      blend(held.perWorker().computeIfAbsent(workerId, w -> new AtomicLong(NONE)), alone);
    }
    blend(overall, alone);
  }

  /** As above, with nothing else of ours under way on the worker. */
  public void record(String function, long revision, String workerId, long nanos) {
    record(function, revision, workerId, nanos, 0);
  }

  /**
   * The expected creation time of the revision now: its alone time on each worker that created it, times that
   * worker's slowdown now, averaged over them; else the alone time over every creation, times the mean slowdown of
   * the workers we know; else the prior.
   */
  public long expectedNanos(String function, long revision, long priorNanos) {
    Revision held = functions.get(function);
    if (held != null && held.revision() == revision) {
      double sum = 0;
      int n = 0;
      for (var entry : held.perWorker().entrySet()) {
        long value = entry.getValue().get();
        if (value != NONE) {
          sum += value * slowdownNow(entry.getKey());
          n++;
        }
      }
      if (n > 0) {
        return Math.round(sum / n);
      }
    }
    long all = overall.get();
    if (all == NONE) {
      return priorNanos;
    }
    if (workers.isEmpty()) {
      return all;
    }
    double sum = 0;
    for (String worker : workers.keySet()) {
      sum += slowdownNow(worker);
    }
    return Math.round(all * sum / workers.size());
  }

  /** What the worker's creations under way now make a creation take, as a multiple of its alone time. */
  private double slowdownNow(String workerId) {
    Worker worker = workers.get(workerId);
    return worker == null || worker.slope() == 0 ? 1 : 1 + worker.slope() * creatingOn.applyAsInt(workerId);
  }

  /** {@code 1 + slope × others}: each other creation under way adds the slope's share of an alone creation. */
  double slowdown(String workerId, int others) {
    Worker worker = workers.get(workerId);
    return others <= 0 || worker == null ? 1 : 1 + worker.slope() * others;
  }

  private static void blend(AtomicLong average, long nanos) {
    average.getAndUpdate(old -> old == NONE ? nanos : Math.round(old + WEIGHT * (nanos - old)));
  }

  private static double blend(double old, double sample) {
    return old + WEIGHT * (sample - old);
  }
}
