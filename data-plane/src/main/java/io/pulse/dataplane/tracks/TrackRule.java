package io.pulse.dataplane.tracks;

import java.util.Arrays;

/**
 * The wait-aware track choice, pure. A request that found no free Regular slot waits for one when the expected wait
 * is within a margin of the expected Emergency Instance creation time; otherwise it takes the expedited track, unless
 * the function already has as many creations in flight as the CPU headroom allows, or the workers are crowded: the
 * creations under way there would make a new one take more than {@code crowdedSlowdown} times its alone time (one
 * more at once then only slows all of them down; the request waits for a creation to end or a slot to free up).
 */
public final class TrackRule {

  /** Unknown or unbounded wait: no Regular request in flight that we know of, or no execution time seen yet. */
  public static final long UNKNOWN = Long.MAX_VALUE;

  /**
   * @param margin wait when the expected wait is at most {@code creation * (1 + margin) + slack}: creating costs CPU
   *     and memory, so it has to win clearly
   * @param slackNanos absolute part of the margin (timer and scheduling noise)
   * @param minCreatingPerFunction Emergency creations in flight per function with the CPU saturated
   * @param maxCreatingPerFunction Emergency creations in flight per function with the CPU idle
   * @param priorCreationNanos expected creation time before any was measured
   * @param minSamples execution times a function needs before its wait is estimated from their distribution: from
   *     fewer, only a stretched bound is trusted ({@link #residualNanos}), since a wrong guess is that function's
   *     slowest call (its p99 when it has few calls)
   * @param residualQuantile the quantile of a request's possible remaining times that its remaining time is at least
   *     (beside their mean): the tail is what a wait gets wrong, and what p99 measures
   * @param stuckCreations a scale from zero that has taken longer than this many expected creations is taken for
   *     stuck (no room for a Regular Instance, a slow control plane): its wait is unknown from then on
   * @param crowdedSlowdown no creation is started while the creations under way would make it take more than this
   *     many times its alone time (on two cores with containerd, each other creation added about one alone time:
   *     beyond two at once, none finishes sooner for starting together)
   */
  public record Settings(double margin, long slackNanos, int minCreatingPerFunction, int maxCreatingPerFunction,
      long priorCreationNanos, int minSamples, double residualQuantile, double stuckCreations,
      double crowdedSlowdown) {
    public static final Settings DEFAULT = new Settings(0.25, 5_000_000, 2, 8, 150_000_000, 8, 0.9, 4, 2);

    public Settings {
      if (margin < 0 || slackNanos < 0 || minCreatingPerFunction < 1
          || maxCreatingPerFunction < minCreatingPerFunction || priorCreationNanos < 0 || minSamples < 1
          || !(residualQuantile > 0 && residualQuantile <= 1) || !(stuckCreations >= 1) || !(crowdedSlowdown > 1)) {
        throw new IllegalArgumentException("track settings out of range: " + margin + ", " + slackNanos + ", "
            + minCreatingPerFunction + ".." + maxCreatingPerFunction + ", " + priorCreationNanos + ", "
            + minSamples + ", " + residualQuantile + ", " + stuckCreations + ", " + crowdedSlowdown);
      }
    }
  }

  /** What a request without a Regular slot does now. */
  public enum Choice {
    /** Create an Emergency Instance. */
    EXPEDITE,
    /** Wait for a Regular slot: it is expected soon enough. */
    WAIT,
    /**
     * The expedited track would be faster, but the function's creations in flight are at the cap, or the workers
     * are crowded: wait.
     */
    HOLD
  }

  private TrackRule() {}

  /**
   * @param creationNanos the expected creation time now (crowding included)
   * @param slowdown what the creations under way make a new one take, as a multiple of its alone time
   */
  public static Choice choose(long waitNanos, long creationNanos, int creating, int cap, double slowdown,
      Settings settings) {
    if (waitNanos != UNKNOWN && waitNanos <= creationNanos * (1 + settings.margin()) + settings.slackNanos()) {
      return Choice.WAIT;
    }
    return creating >= cap || slowdown > settings.crowdedSlowdown() ? Choice.HOLD : Choice.EXPEDITE;
  }

  /** Creations in flight allowed per function: the maximum scaled by the CPU headroom (0..1), at least the minimum. */
  public static int cap(int min, int max, double headroom) {
    double h = Double.isNaN(headroom) ? 1 : Math.min(1, Math.max(0, headroom));
    return Math.max(min, (int) Math.round(max * h));
  }

  /**
   * Remaining time of a request that has run {@code elapsedNanos}, from the function's execution times (sorted
   * ascending), over the times longer than {@code elapsed}: the mean of their excess, or its {@code quantile} when that
   * is longer (a rare long run moves the mean little, but it is the wait that makes the p99). A request that outlived
   * every time seen is expected to run about as long again. From {@code k < minSamples} times, a run is bounded by
   * their longest stretched {@code minSamples / k} times (8x from one time seen, 1x at {@code minSamples}): a
   * function that runs 10 ms is still worth waiting for after two calls, one that runs 100 ms no longer is. None
   * seen: {@link #UNKNOWN}.
   */
  public static long residualNanos(long elapsedNanos, long[] sortedSamples, int minSamples, double quantile) {
    if (sortedSamples.length == 0) {
      return UNKNOWN;
    }
    if (sortedSamples.length < minSamples) {
      long bound = stretched(sortedSamples[sortedSamples.length - 1], minSamples, sortedSamples.length);
      if (bound == UNKNOWN) {
        return UNKNOWN;
      }
      return elapsedNanos < bound ? bound - elapsedNanos : Math.max(1, elapsedNanos);
    }
    int first = upperBound(sortedSamples, elapsedNanos);
    int longer = sortedSamples.length - first;
    if (longer == 0) {
      return Math.max(1, elapsedNanos);
    }
    double sum = 0;
    for (int i = first; i < sortedSamples.length; i++) {
      sum += sortedSamples[i] - elapsedNanos;
    }
    int rank = Math.max(1, (int) Math.ceil(quantile * longer));
    return Math.max(Math.round(sum / longer), sortedSamples[first + Math.min(longer, rank) - 1] - elapsedNanos);
  }

  /** The residual of each in-flight request (elapsed = now - start), sorted ascending. */
  public static long[] residuals(long now, long[] startNanos, long[] sortedSamples, Settings settings) {
    long[] residuals = new long[startNanos.length];
    for (int i = 0; i < startNanos.length; i++) {
      residuals[i] = residualNanos(Math.max(0, now - startNanos[i]), sortedSamples, settings.minSamples(),
          settings.residualQuantile());
    }
    Arrays.sort(residuals);
    return residuals;
  }

  /**
   * Expected wait of a request with {@code ahead} requests before it for a slot now held by requests with these
   * residuals (sorted): the {@code ahead}-th slot to free up; past one round of slots, each further round adds a
   * mean execution time. No request in flight that we know of: {@link #UNKNOWN}.
   */
  public static long expectedWaitNanos(long[] sortedResiduals, int ahead, long meanExecutionNanos) {
    int n = sortedResiduals.length;
    if (n == 0 || sortedResiduals[ahead % n] == UNKNOWN) {
      return UNKNOWN;
    }
    long rounds = ahead / n;
    if (rounds > 0 && meanExecutionNanos > (UNKNOWN - sortedResiduals[ahead % n]) / rounds) {
      return UNKNOWN;
    }
    return sortedResiduals[ahead % n] + rounds * meanExecutionNanos;
  }

  /**
   * Expected wait of the first waiting request of a function with no Regular Instance, whose wait asks the autoscaler
   * to scale from zero (as kpa's does): a Regular Instance is a sandbox created on the same workers as an Emergency
   * one, so it is expected in one creation time from when the wait began. Past {@code stuckCreations} of them the
   * scale from zero is taken for stuck: {@link #UNKNOWN}.
   */
  public static long scaleFromZeroWaitNanos(long elapsedNanos, long creationNanos, Settings settings) {
    if (elapsedNanos > creationNanos * settings.stuckCreations()) {
      return UNKNOWN;
    }
    return Math.max(0, creationNanos - elapsedNanos);
  }

  /**
   * Mean execution time for a wait's further rounds: the mean of the samples, stretched as a run's bound is when
   * there are fewer than {@code minSamples} ({@link #residualNanos}); 0 for none.
   */
  public static long meanExecutionNanos(long[] samples, int minSamples) {
    if (samples.length == 0) {
      return 0;
    }
    double sum = 0;
    for (long s : samples) {
      sum += s;
    }
    long mean = Math.round(sum / samples.length);
    return samples.length < minSamples ? stretched(mean, minSamples, samples.length) : mean;
  }

  /** {@code nanos * minSamples / k}, saturated at {@link #UNKNOWN}. */
  private static long stretched(long nanos, int minSamples, int k) {
    return nanos > UNKNOWN / minSamples ? UNKNOWN : nanos * minSamples / k;
  }

  /** Index of the first sample greater than {@code value}. */
  private static int upperBound(long[] sorted, long value) {
    int low = 0;
    int high = sorted.length;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (sorted[mid] <= value) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }
}
