package io.pulse.dataplane.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per-function load accounting for the reports: each request's {@link RequestTicket} moves the counters (arrivals,
 * queued, in flight, expedited) as it goes; {@link #closeInterval()} yields one sample per active function.
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

  /** In flight, queued, and served by Emergency Instances, now. */
  public record Counts(int inFlight, int queued, int emergency) {
    public static final Counts ZERO = new Counts(0, 0, 0);
  }

  /** A new request of {@code function}: its ticket moves the counters for it. */
  public RequestTicket ticket(String function) {
    return new RequestTicket(accumulator(function));
  }

  /** Busy time per instance and the Emergency Instances' facts (accounting). */
  public UsageTracker usage() {
    return usage;
  }

  /** The counters of {@code function} now (for tests and diagnostics). */
  public Counts counts(String function) {
    LoadAccumulator accumulator = functions.get(function);
    return accumulator == null ? Counts.ZERO : accumulator.counts();
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
