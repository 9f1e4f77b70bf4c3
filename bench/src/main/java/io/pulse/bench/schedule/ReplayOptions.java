package io.pulse.bench.schedule;

/**
 * How a trace is turned into a schedule.
 *
 * @param functions how many functions to replay
 * @param sample false: the first {@code functions} of the trace; true: a seeded sample of them (kept in trace order)
 * @param fromMinute first trace minute replayed (1-based)
 * @param toMinute the minute after the last one replayed
 * @param compress time compression: a trace minute lasts {@code 60 / compress} seconds
 * @param durationScale factor applied to every sampled execution time
 * @param minDurationMs lower bound of a scaled execution time
 * @param maxDurationMs upper bound of a scaled execution time
 * @param memoryScale factor applied to the trace's memory
 * @param minMemoryMiB lower bound of a function's memory after scaling (also used when the trace gives none)
 * @param maxMemoryMiB upper bound of a function's memory after scaling
 * @param seed seeds the sample, the arrivals and the execution times
 */
public record ReplayOptions(int functions, boolean sample, int fromMinute, int toMinute, double compress,
    double durationScale, int minDurationMs, int maxDurationMs, double memoryScale, int minMemoryMiB,
    int maxMemoryMiB, long seed) {

  public ReplayOptions {
    require(functions > 0, "functions must be > 0, was " + functions);
    require(fromMinute >= 1 && toMinute > fromMinute,
        "minutes must be A-B with 1 <= A < B, was " + fromMinute + "-" + toMinute);
    require(compress > 0, "compress must be > 0, was " + compress);
    require(durationScale > 0, "duration scale must be > 0, was " + durationScale);
    require(minDurationMs >= 0 && maxDurationMs >= minDurationMs,
        "duration bounds must satisfy 0 <= min <= max, were " + minDurationMs + ", " + maxDurationMs);
    require(memoryScale > 0, "memory scale must be > 0, was " + memoryScale);
    require(minMemoryMiB > 0 && maxMemoryMiB >= minMemoryMiB,
        "memory bounds must satisfy 0 < min <= max, were " + minMemoryMiB + ", " + maxMemoryMiB);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Length of the replay in milliseconds. */
  public long spanMillis() {
    return Math.round((toMinute - fromMinute) * 60_000 / compress);
  }
}
