package io.pulse.controlplane.autoscale.window;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Observed concurrency (summed over data planes) in fixed-size time buckets. Several samples falling into one bucket
 * are averaged, so one bucket holds one value whatever the number of reporters. A window average is the mean over the
 * buckets inside the window that hold a sample: a bucket nobody reported in is unknown, not zero, which keeps report
 * jitter (two reports in one bucket, none in the next) from halving the estimate. Reporters send explicit zeros.
 */
public final class ConcurrencyWindow {

  private record Bucket(long index, double sum, int samples) {
    double mean() {
      return sum / samples;
    }
  }

  private final long bucketMillis;
  private final long retainedBuckets;
  private final List<Bucket> buckets; // ascending by index, all within retention of the newest

  private ConcurrencyWindow(long bucketMillis, long retainedBuckets, List<Bucket> buckets) {
    this.bucketMillis = bucketMillis;
    this.retainedBuckets = retainedBuckets;
    this.buckets = buckets;
  }

  /**
   * An empty window.
   *
   * @param bucketMillis width of one bucket
   * @param retentionMillis how far back samples are kept (the longest window that will be asked for)
   */
  public static ConcurrencyWindow empty(long bucketMillis, long retentionMillis) {
    if (bucketMillis <= 0) {
      throw new IllegalArgumentException("bucketMillis must be > 0, was " + bucketMillis);
    }
    if (retentionMillis < bucketMillis) {
      throw new IllegalArgumentException("retentionMillis must be >= bucketMillis, was " + retentionMillis);
    }
    return new ConcurrencyWindow(bucketMillis, ceilDiv(retentionMillis, bucketMillis), List.of());
  }

  /** This window with one more sample at {@code nowMillis}; samples older than the retention are dropped. */
  public ConcurrencyWindow record(long nowMillis, double value) {
    if (value < 0 || Double.isNaN(value)) {
      throw new IllegalArgumentException("value must be >= 0, was " + value);
    }
    long index = Math.floorDiv(nowMillis, bucketMillis);
    List<Bucket> next = new ArrayList<>(buckets.size() + 1);
    long oldestKept = index - retainedBuckets + 1;
    for (Bucket bucket : buckets) {
      if (bucket.index() >= oldestKept) {
        next.add(bucket);
      }
    }
    Bucket last = next.isEmpty() ? null : next.get(next.size() - 1);
    if (last != null && last.index() >= index) {
      // Same bucket, or a clock that stepped back: fold into the newest bucket rather than rewrite history.
      next.set(next.size() - 1, new Bucket(last.index(), last.sum() + value, last.samples() + 1));
    } else {
      next.add(new Bucket(index, value, 1));
    }
    return new ConcurrencyWindow(bucketMillis, retainedBuckets, List.copyOf(next));
  }

  /**
   * Mean of the bucket values in the {@code windowMillis} ending at {@code nowMillis} (the current bucket included),
   * or empty when no bucket in that span holds a sample.
   */
  public OptionalDouble average(long nowMillis, long windowMillis) {
    long index = Math.floorDiv(nowMillis, bucketMillis);
    long span = Math.max(1, ceilDiv(windowMillis, bucketMillis));
    long oldest = index - span + 1;
    double total = 0;
    int counted = 0;
    for (Bucket bucket : buckets) {
      if (bucket.index() >= oldest && bucket.index() <= index) {
        total += bucket.mean();
        counted++;
      }
    }
    return counted == 0 ? OptionalDouble.empty() : OptionalDouble.of(total / counted);
  }

  public long bucketMillis() {
    return bucketMillis;
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  @Override
  public String toString() {
    return "ConcurrencyWindow" + buckets;
  }
}
