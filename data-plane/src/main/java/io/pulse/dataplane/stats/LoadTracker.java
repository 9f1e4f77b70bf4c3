package io.pulse.dataplane.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per-function load accounting for the reports: the gateway tells it about arrivals and about requests entering and
 * leaving the queue and the in-flight set; {@link #closeInterval()} yields one sample per active function.
 */
public final class LoadTracker {

  private final LongSupplier nanoClock;
  // Never pruned: an update racing with a removal would land in a detached accumulator and skew the level forever.
  // One small object per function ever routed is cheap.
  private final ConcurrentHashMap<String, LoadAccumulator> functions = new ConcurrentHashMap<>();
  private long intervalStart; // guarded by this
  private final UsageTracker usage;

  public LoadTracker(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
    this.intervalStart = nanoClock.getAsLong();
    this.usage = new UsageTracker(nanoClock);
  }

  public static LoadTracker system() {
    return new LoadTracker(System::nanoTime);
  }

  public void arrived(String function) {
    accumulator(function).arrived();
  }

  public void queuedChanged(String function, int delta) {
    accumulator(function).change(0, delta);
  }

  public void inFlightChanged(String function, int delta) {
    accumulator(function).change(delta, 0);
  }

  /**
   * A request went down the expedited track; {@code counted}: the metric filter let it count toward scaling (the
   * caller then also reports it as arrived and in flight).
   */
  public void expedited(String function, boolean counted) {
    accumulator(function).expedited(counted);
  }

  /** Requests served by Emergency Instances now, up or down by {@code delta}. */
  public void emergencyChanged(String function, int delta) {
    accumulator(function).emergencyChanged(delta);
  }

  /** Busy time per instance and the Emergency Instances' facts (accounting). */
  public UsageTracker usage() {
    return usage;
  }

  /** Moves one request from the queue to the in-flight set in one step, so the level does not dip between. */
  public void dequeuedToInFlight(String function) {
    accumulator(function).change(1, -1);
  }

  /** In flight + queued now (for tests and diagnostics). */
  public int level(String function) {
    LoadAccumulator accumulator = functions.get(function);
    return accumulator == null ? 0 : accumulator.level();
  }

  /** Ends the current interval: a sample per function that had activity or still has load. */
  public synchronized List<FunctionLoadSample> closeInterval() {
    long start = intervalStart;
    long now = nanoClock.getAsLong();
    List<FunctionLoadSample> samples = new ArrayList<>();
    for (LoadAccumulator accumulator : functions.values()) {
      FunctionLoadSample sample = accumulator.close(start, now);
      if (sample != null) {
        samples.add(sample);
      }
    }
    intervalStart = now;
    return samples;
  }

  private LoadAccumulator accumulator(String function) {
    LoadAccumulator accumulator = functions.get(function);
    return accumulator != null ? accumulator
        : functions.computeIfAbsent(function, f -> new LoadAccumulator(f, nanoClock));
  }
}
