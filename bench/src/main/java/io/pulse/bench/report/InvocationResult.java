package io.pulse.bench.report;

/**
 * One request as measured.
 *
 * @param scheduledMicros when it was due, from the start of the run
 * @param startMicros when it was sent
 * @param endMicros when its response ended (or it failed)
 * @param durationMs the execution time it asked for
 * @param status HTTP status; 0 when no response came
 * @param cold served by an Emergency Instance, or the first request a Regular Instance served
 * @param kind {@code regular}, {@code emergency}, or empty when unknown
 */
public record InvocationResult(String function, long scheduledMicros, long startMicros, long endMicros,
    int durationMs, int status, boolean cold, String kind, String instance) {

  /** End-to-end latency from the scheduled time (so a late send counts against the system, not for it). */
  public double latencyMs() {
    return (endMicros - scheduledMicros) / 1e3;
  }

  public boolean ok() {
    return status >= 200 && status < 300;
  }

  /** Latency over requested execution time; requests asking for 0 ms count as asking for 1 ms. */
  public double slowdown() {
    return latencyMs() / Math.max(1, durationMs);
  }
}
