package io.pulse.common.retry;

import java.time.Duration;

/**
 * Doubling retry delays between a floor and a ceiling ({@code min}, 2 {@code min}, 4 {@code min}, ... {@code max},
 * {@code max}, ...), optionally jittered, as an immutable value: {@link #next()} after a failed attempt, {@link #reset()}
 * after a success. The delay is a pure function of (policy, seed, attempt), so a run can be replayed from its seed.
 *
 * <p>Jitter takes up to {@code jitter} of each delay off, never adds: callers keep their ceiling, and many clients
 * that lost the same server at once (workers after a control-plane restart) come back spread out, not in a herd.
 *
 * @param minMillis the first delay (at least 1)
 * @param maxMillis the ceiling (at least {@code minMillis})
 * @param jitter the largest fraction taken off a delay, in [0, 1); 0 for exact doubling
 * @param seed where the jitter comes from (log it, or derive it from an id, to replay a run)
 * @param attempt failed attempts so far (0 after a reset)
 */
public record Backoff(long minMillis, long maxMillis, double jitter, long seed, int attempt) {

  public Backoff {
    if (minMillis < 1 || maxMillis < minMillis) {
      throw new IllegalArgumentException("backoff needs 1 <= min <= max, got " + minMillis + ".." + maxMillis);
    }
    if (!(jitter >= 0 && jitter < 1)) {
      throw new IllegalArgumentException("backoff jitter must be in [0, 1), got " + jitter);
    }
    if (attempt < 0) {
      throw new IllegalArgumentException("backoff attempt must be >= 0, got " + attempt);
    }
  }

  /** Exact doubling from {@code minMillis} up to {@code maxMillis}, no jitter. */
  public static Backoff doubling(long minMillis, long maxMillis) {
    return new Backoff(minMillis, maxMillis, 0, 0, 0);
  }

  /** As {@link #doubling(long, long)}, with durations (rounded down to milliseconds). */
  public static Backoff doubling(Duration min, Duration max) {
    return doubling(min.toMillis(), max.toMillis());
  }

  /** The same policy with up to {@code fraction} of each delay taken off, drawn from {@code seed}. */
  public Backoff jittered(double fraction, long seed) {
    return new Backoff(minMillis, maxMillis, fraction, seed, attempt);
  }

  /** The wait before the next attempt. */
  public long delayMillis() {
    return delayMillis(attempt);
  }

  /** The wait after {@code failures} failed attempts in a row (0 gives the first delay). */
  public long delayMillis(int failures) {
    long ceiling = ceiling(Math.max(0, failures));
    if (jitter == 0) {
      return ceiling;
    }
    long cut = (long) (ceiling * jitter * unit(seed, failures));
    return Math.max(1, ceiling - cut);
  }

  /** As {@link #delayMillis()}, as a duration. */
  public Duration delay() {
    return Duration.ofMillis(delayMillis());
  }

  /** After one more failed attempt. */
  public Backoff next() {
    return attempt == Integer.MAX_VALUE ? this : new Backoff(minMillis, maxMillis, jitter, seed, attempt + 1);
  }

  /** After a success: the next failure waits the first delay again. */
  public Backoff reset() {
    return attempt == 0 ? this : new Backoff(minMillis, maxMillis, jitter, seed, 0);
  }

  private long ceiling(int failures) {
    int shift = Math.min(failures, 62);
    // min << shift without overflow: past the ceiling once min exceeds max >> shift.
    return minMillis > (maxMillis >> shift) ? maxMillis : Math.min(maxMillis, minMillis << shift);
  }

  /** A uniform draw in [0, 1) from (seed, failures): SplitMix64's finaliser, so no state is kept between calls. */
  private static double unit(long seed, int failures) {
    long z = seed + (failures + 1L) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z = z ^ (z >>> 31);
    return (z >>> 11) * 0x1.0p-53;
  }
}
