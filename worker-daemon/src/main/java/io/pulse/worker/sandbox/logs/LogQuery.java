package io.pulse.worker.sandbox.logs;

/**
 * Which lines of an instance's log to return.
 *
 * @param tail at most this many of the newest lines, 1..{@link #MAX_TAIL}
 * @param sinceMs only lines read at or after this time (epoch milliseconds; 0 for all)
 */
public record LogQuery(int tail, long sinceMs) {

  public static final int MAX_TAIL = 10_000;
  public static final int DEFAULT_TAIL = 100;

  public LogQuery {
    if (tail < 1 || tail > MAX_TAIL) {
      throw new IllegalArgumentException("tail must be in 1.." + MAX_TAIL + ", was " + tail);
    }
    if (sinceMs < 0) {
      throw new IllegalArgumentException("since must be >= 0, was " + sinceMs);
    }
  }
}
