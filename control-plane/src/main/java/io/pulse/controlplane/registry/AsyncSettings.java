package io.pulse.controlplane.registry;

/**
 * How the leader's dispatcher runs a function's async invocations (the spec's {@code async} object).
 *
 * @param maxAttempts attempts before an invocation is dead-lettered (1 = no retry)
 * @param backoffMs wait before the first retry; doubled for each further one
 * @param maxBackoffMs upper bound of one wait
 * @param concurrency async invocations of the function running at once (cluster-wide)
 * @param timeoutSeconds bound of one attempt; 0: the function's {@code timeoutSeconds}
 */
public record AsyncSettings(int maxAttempts, long backoffMs, long maxBackoffMs, int concurrency, int timeoutSeconds) {

  public static final AsyncSettings DEFAULTS = new AsyncSettings(3, 1_000, 60_000, 10, 0);

  /** The bound of one attempt for a function whose own timeout is {@code functionTimeoutSeconds}. */
  public int timeoutSecondsOr(int functionTimeoutSeconds) {
    return timeoutSeconds > 0 ? timeoutSeconds : functionTimeoutSeconds;
  }
}
