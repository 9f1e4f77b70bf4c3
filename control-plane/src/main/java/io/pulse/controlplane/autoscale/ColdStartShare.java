package io.pulse.controlplane.autoscale;

/**
 * What a cold start would add to one of a function's calls, as a share of the call: its measured creation time over
 * its calls' mean execution time. A cold start of C on a call of E stretches that call by at most 1 + C/E, so holding
 * an idle instance to spare a 100 ms creation buys a 5 s function little and a 20 ms one much (docs/benchmarks.md,
 * stop 32: 38 % of the hold's extra memory went to functions whose calls last 400 ms or more, for almost nothing).
 * Pure; unknown until both halves were measured.
 *
 * @param executionMicros the calls' mean execution time as the data planes last reported it; 0: not known
 * @param creationMicros a moving average of the function's measured creation times; 0: not known
 */
public record ColdStartShare(long executionMicros, long creationMicros) {

  public static final ColdStartShare UNKNOWN = new ColdStartShare(0, 0);
  /** Weight of the newest creation time: recent enough to follow a host getting busy. */
  static final double CREATION_WEIGHT = 0.3;

  public ColdStartShare {
    if (executionMicros < 0 || creationMicros < 0) {
      throw new IllegalArgumentException("executionMicros and creationMicros must be >= 0, were " + executionMicros
          + ", " + creationMicros);
    }
  }

  /** With the data planes' latest mean execution time; 0 (none measured) keeps the last one known. */
  public ColdStartShare withExecution(long micros) {
    return micros <= 0 || micros == executionMicros ? this : new ColdStartShare(micros, creationMicros);
  }

  /** With one more measured creation time. */
  public ColdStartShare withCreation(long micros) {
    if (micros <= 0) {
      return this;
    }
    long blended = creationMicros == 0 ? micros
        : Math.round(creationMicros + CREATION_WEIGHT * (micros - creationMicros));
    return new ColdStartShare(executionMicros, Math.max(1, blended));
  }

  public boolean known() {
    return executionMicros > 0 && creationMicros > 0;
  }

  /** C / E; only meaningful when {@link #known()}. */
  public double share() {
    return (double) creationMicros / executionMicros;
  }
}
