package io.pulse.controlplane.instances;

/** Where a Regular Instance is in its life. */
public enum InstanceState {
  /** CreateSandbox sent, no answer yet. Holds resources on its worker; not routed. */
  PENDING,
  /** Serving and routed. */
  READY,
  /** Out of routing; deleted on its worker once in-flight requests had time to finish. */
  DRAINING;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
