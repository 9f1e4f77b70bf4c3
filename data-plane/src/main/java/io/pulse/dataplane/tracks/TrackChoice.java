package io.pulse.dataplane.tracks;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The track choice's state and inputs, one per data plane: each function's {@link FunctionTimes}, the creation
 * times, the CPU headroom and the pool hook; {@link #choose} applies {@link TrackRule} to them. Functions whose
 * requests were told to wait on an estimate are remembered, so that they can be asked again if no slot frees up.
 */
public final class TrackChoice {

  /**
   * What one look at a function sees: its in-flight Regular requests' residuals (sorted) and its mean execution time.
   * Taken once per pass over the function's wait queue.
   */
  public record Estimate(long[] sortedResiduals, long meanExecutionNanos) {
    public long waitNanos(int ahead) {
      return TrackRule.expectedWaitNanos(sortedResiduals, ahead, meanExecutionNanos);
    }
  }

  private final TrackRule.Settings settings;
  private final LongSupplier nanoClock;
  private final CreationTimes creations;
  private final DoubleSupplier headroom;
  private final PoolHits pool;
  // Never pruned, like the metric filter's rings: one small record per function ever invoked.
  private final ConcurrentHashMap<String, FunctionTimes> functions = new ConcurrentHashMap<>();
  private final Set<String> waiting = ConcurrentHashMap.newKeySet();

  public TrackChoice(TrackRule.Settings settings, LongSupplier nanoClock, CreationTimes creations,
      DoubleSupplier headroom, PoolHits pool) {
    this.settings = settings;
    this.nanoClock = nanoClock;
    this.creations = creations;
    this.headroom = headroom;
    this.pool = pool;
  }

  public FunctionTimes times(String function) {
    FunctionTimes times = functions.get(function);
    return times != null ? times : functions.computeIfAbsent(function, f -> new FunctionTimes());
  }

  /**
   * The mean execution time of the function's last calls here, in microseconds; 0 when none ran. Reported to the
   * leader, which weighs a cold start against it. Does not start tracking a function.
   */
  public long meanExecutionMicros(String function) {
    FunctionTimes times = functions.get(function);
    return times == null ? 0 : times.meanExecutionNanos() / 1000;
  }

  public long now() {
    return nanoClock.getAsLong();
  }

  public Estimate estimate(String function) {
    FunctionTimes times = times(function);
    long[] samples = times.sortedExecutionTimes();
    return new Estimate(TrackRule.residuals(now(), times.inFlightStarts(), samples, settings),
        TrackRule.meanExecutionNanos(samples, settings.minSamples()));
  }

  /** Expected time to get an Emergency Instance of the revision: a pool claim when likely, else a creation. */
  public long creationNanos(String function, long revision) {
    long claim = pool.expectedClaimNanos(function, revision);
    return claim >= 0 ? claim : creations.expectedNanos(function, revision, settings.priorCreationNanos());
  }

  /** Creations in flight a function may have now. */
  public int cap() {
    return TrackRule.cap(settings.minCreatingPerFunction(), settings.maxCreatingPerFunction(),
        headroom.getAsDouble());
  }

  /** The choice for a request of {@code function} with {@code ahead} requests waiting before it. */
  public TrackRule.Choice choose(String function, long revision, Estimate estimate, int ahead) {
    TrackRule.Choice choice = TrackRule.choose(estimate.waitNanos(ahead), creationNanos(function, revision),
        times(function).creating(), cap(), creations.slowdownNow(), settings);
    if (choice != TrackRule.Choice.EXPEDITE) {
      waiting.add(function);
    }
    return choice;
  }

  /**
   * The choice for the first waiting request of a function with no Regular Instance: wait for the scale from zero
   * its wait asks for ({@link TrackRule#scaleFromZeroWaitNanos}) unless that is stuck. PulseNet creates an Emergency
   * Instance here, which its metric filter does not count (no inter-arrival time yet), so the function's next call a
   * few seconds later finds no Regular Instance either and pays a second creation where kpa's is served warm.
   */
  public TrackRule.Choice chooseCold(String function, long revision) {
    FunctionTimes times = times(function);
    long now = now();
    long creation = creationNanos(function, revision);
    long wait = TrackRule.scaleFromZeroWaitNanos(now - times.coldWaitSince(now), creation, settings);
    TrackRule.Choice choice = TrackRule.choose(wait, creation, times.creating(), cap(), creations.slowdownNow(),
        settings);
    if (choice == TrackRule.Choice.EXPEDITE) {
      times.coldWaitEnded();
    } else {
      waiting.add(function);
    }
    return choice;
  }

  /**
   * An Emergency Instance of the revision was created on the worker in {@code nanos}, beside {@code othersCreating}
   * others (ours and the control plane's) that were under way there when it was placed.
   */
  public void created(String function, long revision, String workerId, long nanos, int othersCreating) {
    creations.record(function, revision, workerId, nanos, othersCreating);
  }

  /**
   * The functions told to wait since the last call, forgotten: their queues should be looked at again. Each once:
   * looking at a queue asks the choice again, which marks the function waiting anew, and on the live set's iterator
   * such a function could come round again and again within one call.
   */
  public void forEachWaiting(java.util.function.Consumer<String> action) {
    for (String function : List.copyOf(waiting)) {
      if (waiting.remove(function)) {
        action.accept(function);
      }
    }
  }
}
