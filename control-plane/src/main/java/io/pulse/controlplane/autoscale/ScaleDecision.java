package io.pulse.controlplane.autoscale;

/** What the KPA decided for one function: a target count, or {@link #NONE} when it cannot tell. */
public sealed interface ScaleDecision {

  /** Not enough information to decide (e.g. recently active but no concurrency sample in the window): keep as is. */
  NoDecision NONE = new NoDecision();

  /**
   * A target instance count.
   *
   * @param desired instances the function should have, within its min/max scale
   * @param reason which rule produced the count
   * @param panic the state to pass to the next decision
   * @param stableConcurrency stable-window average (0 when unused)
   * @param panicConcurrency panic-window average (0 when unused)
   */
  record Scale(int desired, Reason reason, PanicState panic, double stableConcurrency, double panicConcurrency)
      implements ScaleDecision {}

  record NoDecision() implements ScaleDecision {}

  enum Reason {
    /** No demand for keep-alive: down to minScale. */
    IDLE,
    /** Stable-window average. */
    STABLE,
    /** Panic mode: the larger of both windows, never below the panic high-water mark. */
    PANIC,
    /** The emergency-only policy: the standard track keeps minScale, the expedited track serves the rest. */
    EMERGENCY_ONLY
  }
}
