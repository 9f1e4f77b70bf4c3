package io.pulse.bench.trace;

/**
 * One function of a trace.
 *
 * @param hash the trace's function hash
 * @param perMinute invocations in each minute (index 0 = minute 1)
 * @param durations execution time without cold start (ms)
 * @param memoryMb average allocated memory (MB); 0 when the trace does not say
 */
public record TraceFunction(String hash, int[] perMinute, DurationPercentiles durations, double memoryMb) {

  public long invocations(int fromMinute, int toMinute) {
    long sum = 0;
    for (int m = Math.max(1, fromMinute); m < Math.min(toMinute, perMinute.length + 1); m++) {
      sum += perMinute[m - 1];
    }
    return sum;
  }

  public int minutes() {
    return perMinute.length;
  }
}
