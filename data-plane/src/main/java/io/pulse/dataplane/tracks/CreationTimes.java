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
  /** Weight of the newest creation in a worker's slope: slower, since one draw says little of contention. */
  private static final double SLOPE_WEIGHT = 0.2;
  /** The most a slope may say each other creation adds: a wild sample does not make every creation look stuck. */
  static final double MAX_SLOPE = 4;
  private static final long NONE = -1;

  private record Revision(long revision, ConcurrentHashMap<String, AtomicLong> perWorker) {}

  /**
   * What a worker's creations say of it: the average of those that ran alone, and, over those that ran beside others,
   * the average of their excess over it (as a share of it) and of how many others there were. The slope is the
   * ratio of the two averages, not an average of per-creation ratios: a creation beside one other, a draw above the
   * average, would otherwise say "each other creation doubles the time" on a runtime where nothing slows down.
   */
  private static final class Worker {
    private double aloneNanos = Double.NaN;
    private double excess = Double.NaN;
    private double others = Double.NaN;

    synchronized void alone(long nanos) {
      aloneNanos = Double.isNaN(aloneNanos) ? nanos : blend(aloneNanos, nanos);
    }

    synchronized void shared(long nanos, int othersCreating) {
      if (Double.isNaN(aloneNanos)) {
        return;
      }
      double sample = nanos / aloneNanos - 1;
      excess = Double.isNaN(excess) ? sample : blend(excess, sample);
      others = Double.isNaN(others) ? othersCreating : blend(others, othersCreating);
    }

    /** Each other creation under way adds this share of an alone creation (0 until known; at most MAX_SLOPE). */
    synchronized double slope() {
      return Double.isNaN(excess) ? 0 : Math.clamp(excess / others, 0, MAX_SLOPE);
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
   * against that average (of the alone ones only, so that a slope never feeds back into its own base), then is
   * stored as its alone equivalent.
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
      worker.alone(nanos);
    } else {
      worker.shared(nanos, othersCreating);
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
    return Math.round(all * slowdownNow());
  }

  /**
   * How crowded the workers are: the mean over the workers we know of what their creations under way now make a new
   * creation take, as a multiple of its alone time (1 when none is known).
   */
  public double slowdownNow() {
    if (workers.isEmpty()) {
      return 1;
    }
    double sum = 0;
    for (String worker : workers.keySet()) {
      sum += slowdownNow(worker);
    }
    return sum / workers.size();
  }

  /** What the worker's creations under way now make a creation take, as a multiple of its alone time. */
  private double slowdownNow(String workerId) {
    Worker worker = workers.get(workerId);
    double slope = worker == null ? 0 : worker.slope();
    return slope == 0 ? 1 : 1 + slope * creatingOn.applyAsInt(workerId);
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
    return old + SLOPE_WEIGHT * (sample - old);
  }
}
