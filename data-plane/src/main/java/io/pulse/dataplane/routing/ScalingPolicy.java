package io.pulse.dataplane.routing;

/** How a function scales, as the control plane resolved it (the function's own choice or the cluster default). */
public enum ScalingPolicy {
  /** Regular Instances from the autoscaler; a request that finds no free slot takes the expedited track. */
  DUAL_TRACK,
  /** Dirigent-like: a request that finds no free slot waits for a Regular Instance. */
  KPA,
  /** Every request that finds no free slot takes the expedited track; the autoscaler keeps minScale only. */
  EMERGENCY_ONLY;

  /** Whether a request that finds no free Regular slot may create an Emergency Instance. */
  public boolean expedited() {
    return this != KPA;
  }
}
