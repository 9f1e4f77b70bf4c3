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
 * @param leadInMinutes trace minutes before {@code fromMinute} replayed first and not measured (fewer when the trace
 *     starts sooner), so that the window begins with the instances its recent past left, as a platform in steady
 *     state has them, not with every function at zero
 */
public record ReplayOptions(int functions, boolean sample, int fromMinute, int toMinute, double compress,
    double durationScale, int minDurationMs, int maxDurationMs, double memoryScale, int minMemoryMiB,
    int maxMemoryMiB, long seed, int leadInMinutes) {

  /** The most lead-in a replay takes: an hour of trace. */
  public static final int MAX_LEAD_IN_MINUTES = 60;

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
    require(leadInMinutes >= 0 && leadInMinutes <= MAX_LEAD_IN_MINUTES,
        "lead-in must be 0.." + MAX_LEAD_IN_MINUTES + " minutes, was " + leadInMinutes);
  }

  /** Without a lead-in: the window starts with every function at zero. */
  public ReplayOptions(int functions, boolean sample, int fromMinute, int toMinute, double compress,
      double durationScale, int minDurationMs, int maxDurationMs, double memoryScale, int minMemoryMiB,
      int maxMemoryMiB, long seed) {
    this(functions, sample, fromMinute, toMinute, compress, durationScale, minDurationMs, maxDurationMs, memoryScale,
        minMemoryMiB, maxMemoryMiB, seed, 0);
  }

  /** The same window replayed after {@code minutes} of lead-in. */
  public ReplayOptions withLeadIn(int minutes) {
    return new ReplayOptions(functions, sample, fromMinute, toMinute, compress, durationScale, minDurationMs,
        maxDurationMs, memoryScale, minMemoryMiB, maxMemoryMiB, seed, minutes);
  }

  /** The first trace minute replayed: the lead-in's, never before the trace's minute 1. */
  public int leadInFromMinute() {
    return Math.max(1, fromMinute - leadInMinutes);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Length of the measured window in milliseconds (after the lead-in). */
  public long spanMillis() {
    return Math.round((toMinute - fromMinute) * 60_000 / compress);
  }
}
