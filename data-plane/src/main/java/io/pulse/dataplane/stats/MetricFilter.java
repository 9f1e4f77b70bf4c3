package io.pulse.dataplane.stats;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * PulseNet's metric filter. Keeps, per function, the last {@code window} inter-arrival times; an expedited request
 * counts toward the autoscaler only when the function's inter-arrival time at {@code percentile} (the median by
 * default) is below its Regular-Instance keep-alive, i.e. when a Regular Instance would have been reused rather than
 * expire between two requests. A function with fewer than two arrivals has no inter-arrival time and does not count.
 */
public final class MetricFilter {

  private final int percentile;
  private final int window;
  private final LongSupplier nanoClock;
  // Never pruned, like the load accumulators: one small ring per function ever invoked.
  private final ConcurrentHashMap<String, InterArrivals> functions = new ConcurrentHashMap<>();

  public MetricFilter(int percentile, int window, LongSupplier nanoClock) {
    if (percentile < 1 || percentile > 100) {
      throw new IllegalArgumentException("metricFilterPercentile must be in 1..100, was " + percentile);
    }
    if (window < 1) {
      throw new IllegalArgumentException("metricFilterWindow must be >= 1, was " + window);
    }
    this.percentile = percentile;
    this.window = window;
    this.nanoClock = nanoClock;
  }

  /** Records an arrival of {@code function} now. */
  public void arrived(String function) {
    InterArrivals ring = functions.get(function);
    if (ring == null) {
      ring = functions.computeIfAbsent(function, f -> new InterArrivals(window));
    }
    ring.arrived(nanoClock.getAsLong());
  }

  /** Whether an expedited request of {@code function} counts toward scaling now. */
  public boolean counts(String function, int keepAliveSeconds) {
    InterArrivals ring = functions.get(function);
    if (ring == null) {
      return false;
    }
    long[] samples = ring.samples();
    return passes(samples, percentile, keepAliveSeconds * 1_000_000_000L);
  }

  /**
   * Whether {@code function} is known to be invoked too rarely for a Regular Instance to be reused: it has
   * inter-arrival times and the filter does not count it. A function not seen twice yet is not known to be rare.
   */
  public boolean rare(String function, int keepAliveSeconds) {
    InterArrivals ring = functions.get(function);
    if (ring == null) {
      return false;
    }
    long[] samples = ring.samples();
    return samples.length > 0 && !passes(samples, percentile, keepAliveSeconds * 1_000_000_000L);
  }

  /**
   * The rule itself, pure: the nearest-rank {@code percentile} of {@code interArrivalNanos} is below
   * {@code keepAliveNanos}. No samples: false.
   */
  static boolean passes(long[] interArrivalNanos, int percentile, long keepAliveNanos) {
    if (interArrivalNanos.length == 0) {
      return false;
    }
    long[] sorted = interArrivalNanos.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)] < keepAliveNanos;
  }

  /** A ring of the last inter-arrival times of one function. */
  private static final class InterArrivals {
    private final long[] ring;
    private int size;
    private int next;
    private long last = Long.MIN_VALUE;

    InterArrivals(int window) {
      this.ring = new long[window];
    }

    synchronized void arrived(long now) {
      if (last != Long.MIN_VALUE) {
        ring[next] = Math.max(0, now - last);
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
      }
      last = now;
    }

    synchronized long[] samples() {
      return Arrays.copyOf(size == ring.length ? ring : Arrays.copyOf(ring, size), size);
    }
  }
}
