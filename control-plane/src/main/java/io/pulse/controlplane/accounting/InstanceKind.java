package io.pulse.controlplane.accounting;

/** Which track made an instance. */
public enum InstanceKind {
  /** The leader's autoscaler (standard track). */
  REGULAR,
  /** A data plane, straight on a worker (expedited track). */
  EMERGENCY;

  /** Lower-case label for JSON and metrics. */
  public String label() {
    return this == REGULAR ? "regular" : "emergency";
  }
}
