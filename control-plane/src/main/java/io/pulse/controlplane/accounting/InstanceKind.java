package io.pulse.controlplane.accounting;

/** Which track made an instance; or a pool's members, which hold memory without being instances. */
public enum InstanceKind {
  /** The leader's autoscaler (standard track). */
  REGULAR,
  /** A data plane, straight on a worker (expedited track). */
  EMERGENCY,
  /** Sandbox pool members (created, not started): memory held, never busy, never counted as live instances. */
  POOL;

  /** Lower-case label for JSON and metrics. */
  public String label() {
    return switch (this) {
      case REGULAR -> "regular";
      case EMERGENCY -> "emergency";
      case POOL -> "pool";
    };
  }
}
