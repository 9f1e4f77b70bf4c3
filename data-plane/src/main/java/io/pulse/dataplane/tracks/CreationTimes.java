package io.pulse.dataplane.tracks;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Emergency Instance creation times as this data plane measured them, and how much they grow with the other
 * creations under way on the same worker (its own Emergency ones and the control plane's Regular ones). Creations
 * share a worker's containerd, shims and CPU: on two cores one took ~180 ms alone and 0.6-1.3 s beside five others
 * (issue 15's containerd probe), so what the next creation will take depends on how many are under way now, not only
 * on what the last ones took. Each worker learns a slope: the
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
  /**
   * The slope of a worker none of whose creations has run beside others yet: half an alone creation per other one
   * (containerd on two cores measured about one). A fresh data plane's first burst is then not created all at once
   * on a host where creations crowd each other; the first creation measured beside another replaces it.
   */
  static final double PRIOR_SLOPE = 0.5;
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

    /** Each other creation under way adds this share of an alone creation (the prior until known; ≤ MAX_SLOPE). */
    synchronized double slope() {
      return Double.isNaN(excess) ? PRIOR_SLOPE : Math.clamp(excess / others, 0, MAX_SLOPE);
    }
  }

  private final ConcurrentHashMap<String, Revision> functions = new ConcurrentHashMap<>();
  private final AtomicLong overall = new AtomicLong(NONE);
  private final ConcurrentHashMap<String, Worker> workers = new ConcurrentHashMap<>();
  private final ToIntFunction<String> creatingOn;
  private final Supplier<? extends Collection<String>> workerIds;

  /**
   * @param creatingOn the creations under way on a worker now, this data plane's and the control plane's (never
   *     blocks for long)
   * @param workerIds the workers a creation may be placed on now
   */
  public CreationTimes(ToIntFunction<String> creatingOn, Supplier<? extends Collection<String>> workerIds) {
    this.creatingOn = creatingOn;
    this.workerIds = workerIds;
  }

  /** Creation times only: as if nothing else were ever being created (tests of the rest of the choice). */
  public CreationTimes() {
    this(worker -> 0, List::of);
  }

  /**
   * A creation of the revision on the worker took {@code nanos}, with {@code othersCreating} others under way there
   * when it was placed (ours and the control plane's). Alone, it joins the worker's alone average; beside others, it
   * teaches the worker's slope against that average (of the alone ones only, so that a slope never feeds back into
   * its own base), then is stored as its alone equivalent.
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

  /**
   * The expected creation time of the revision now: its alone time on each worker that created it, times that
   * worker's slowdown now, averaged over them; else the alone time over every creation, or the prior before any,
   * times the least crowded worker's slowdown ({@link #slowdownNow()}).
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
    return Math.round((all == NONE ? priorNanos : all) * slowdownNow());
  }

  /**
   * How crowded the workers are: what the creations under way on the least crowded worker would make a new creation
   * there take, as a multiple of its alone time (1 when a worker has no creation under way, or there is none).
   */
  public double slowdownNow() {
    double least = Double.MAX_VALUE;
    for (String worker : workerIds.get()) {
      least = Math.min(least, slowdownNow(worker));
    }
    return least == Double.MAX_VALUE ? 1 : least;
  }

  /** Each worker's creations under way now (ours and the control plane's), for the metrics. */
  public Map<String, Integer> underWay() {
    Map<String, Integer> counts = new TreeMap<>();
    for (String worker : workerIds.get()) {
      counts.put(worker, creatingOn.applyAsInt(worker));
    }
    return counts;
  }

  /** Each worker's {@link #slowdownNow(String)}, for the metrics. */
  public Map<String, Double> slowdowns() {
    Map<String, Double> slowdowns = new TreeMap<>();
    for (String worker : workerIds.get()) {
      slowdowns.put(worker, slowdownNow(worker));
    }
    return slowdowns;
  }

  /** What the worker's creations under way now make a creation take, as a multiple of its alone time. */
  private double slowdownNow(String workerId) {
    return slowdown(workerId, creatingOn.applyAsInt(workerId));
  }

  /** {@code 1 + slope × others}: each other creation under way adds the slope's share of an alone creation. */
  double slowdown(String workerId, int others) {
    if (others <= 0) {
      return 1;
    }
    Worker worker = workers.get(workerId);
    return 1 + (worker == null ? PRIOR_SLOPE : worker.slope()) * others;
  }

  private static void blend(AtomicLong average, long nanos) {
    average.getAndUpdate(old -> old == NONE ? nanos : Math.round(old + WEIGHT * (nanos - old)));
  }

  private static double blend(double old, double sample) {
    return old + SLOPE_WEIGHT * (sample - old);
  }
}
