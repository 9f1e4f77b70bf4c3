package io.pulse.dataplane.stats;

import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The load of one function: current in flight and queued, arrivals, and the area under (in flight + queued) over
 * time, from which an interval's time-weighted mean follows. Updated from several event loops, so every method holds
 * the (uncontended, I/O-free) monitor and reads the clock inside it, keeping time monotonic per accumulator.
 */
final class LoadAccumulator {

  private final String function;
  private final LongSupplier nanoClock;
  private int inFlight;
  private int queued;
  private long arrivals;
  private long expedited;
  private long expeditedCounted;
  private int emergencyInFlight;
  private double areaNanos;
  private long lastChange;

  LoadAccumulator(String function, LongSupplier nanoClock) {
    this.function = function;
    this.nanoClock = nanoClock;
    this.lastChange = nanoClock.getAsLong();
  }

  private void change(int inFlightDelta, int queuedDelta) {
    integrate(nanoClock.getAsLong());
    inFlight += inFlightDelta;
    queued += queuedDelta;
  }

  /**
   * Ends the interval {@code [intervalStart, now]}: the sample, or null when the function had no activity and has
   * nothing in flight or queued. Starts the next interval at {@code now}. Every function closes at the same
   * {@code now}, so that each interval's length is exactly the one its area was integrated over.
   */
  synchronized @Nullable FunctionLoadSample close(long intervalStart, long now) {
    integrate(now);
    int level = inFlight + queued;
    FunctionLoadSample sample = null;
    if (arrivals > 0 || areaNanos > 0 || level > 0 || expedited > 0 || emergencyInFlight > 0) {
      long length = now - intervalStart;
      double average = length > 0 ? areaNanos / length : level;
      sample = new FunctionLoadSample(function, average, inFlight, queued, arrivals, expedited, expeditedCounted,
          emergencyInFlight);
    }
    arrivals = 0;
    expedited = 0;
    expeditedCounted = 0;
    areaNanos = 0;
    return sample;
  }

  /** A request's ticket moved the counters (one step, so the level does not dip between its parts). */
  synchronized void apply(TicketState.Moves moves) {
    arrivals += moves.arrivals();
    if (moves.expedited()) {
      expedited++;
      if (moves.expeditedCounted()) {
        expeditedCounted++;
      }
    }
    emergencyInFlight += moves.emergency();
    if (moves.inFlight() != 0 || moves.queued() != 0) {
      change(moves.inFlight(), moves.queued());
    }
  }

  synchronized LoadTracker.Counts counts() {
    return new LoadTracker.Counts(inFlight, queued, emergencyInFlight);
  }

  synchronized int level() {
    return inFlight + queued;
  }

  private void integrate(long now) {
    if (now > lastChange) {
      areaNanos += (double) (inFlight + queued) * (now - lastChange);
      lastChange = now;
    }
  }
}
