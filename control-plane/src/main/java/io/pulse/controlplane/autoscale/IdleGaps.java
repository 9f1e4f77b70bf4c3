package io.pulse.controlplane.autoscale;

import java.util.Arrays;

/**
 * A function's most recent idle gaps that outlasted its keep-alive: how long it went without an arrival, in-flight or
 * queued request before the next one came. Each was a scale to zero and a cold start under a fixed keep-alive.
 * Immutable; {@link #record} returns a copy. The leader keeps them in an {@link IdleGapStore}, so that the next leader
 * starts from them.
 */
public final class IdleGaps {

  /** How many gaps are kept: enough for a majority to mean something, few enough to follow a function that changes. */
  public static final int KEPT = 8;

  public static final IdleGaps NONE = new IdleGaps(new long[0]);

  private final long[] millis; // oldest first

  private IdleGaps(long[] millis) {
    this.millis = millis;
  }

  public static IdleGaps of(long... millis) {
    IdleGaps gaps = NONE;
    for (long gap : millis) {
      gaps = gaps.record(gap);
    }
    return gaps;
  }

  /** These gaps and {@code gapMillis}, the oldest dropped past {@link #KEPT}. */
  public IdleGaps record(long gapMillis) {
    if (gapMillis < 0) {
      throw new IllegalArgumentException("an idle gap must be >= 0 ms, was " + gapMillis);
    }
    int from = millis.length == KEPT ? 1 : 0;
    long[] next = Arrays.copyOfRange(millis, from, millis.length + 1);
    next[next.length - 1] = gapMillis;
    return new IdleGaps(next);
  }

  public int size() {
    return millis.length;
  }

  /** How many gaps lasted at most {@code limitMillis}. */
  public int atMost(long limitMillis) {
    int count = 0;
    for (long gap : millis) {
      if (gap <= limitMillis) {
        count++;
      }
    }
    return count;
  }

  /** The longest gap of at most {@code limitMillis}; 0 when none. */
  public long longestAtMost(long limitMillis) {
    long longest = 0;
    for (long gap : millis) {
      if (gap <= limitMillis) {
        longest = Math.max(longest, gap);
      }
    }
    return longest;
  }

  /** The gaps, oldest first (a copy). */
  public long[] millis() {
    return millis.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof IdleGaps gaps && Arrays.equals(millis, gaps.millis);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(millis);
  }

  @Override
  public String toString() {
    return "IdleGaps" + Arrays.toString(millis);
  }
}
