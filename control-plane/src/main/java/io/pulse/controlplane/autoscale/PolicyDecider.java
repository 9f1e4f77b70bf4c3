package io.pulse.controlplane.autoscale;

import io.pulse.controlplane.registry.ScalingPolicy;

/**
 * Applies a function's scaling policy around the KPA. {@code dual-track} and {@code kpa} scale Regular Instances by
 * the KPA alike (they differ at the data plane: whether a request without a free slot takes the expedited track, and
 * the load it reports is filtered there); {@code emergency-only} keeps {@code minScale} Regular Instances and leaves
 * everything else to the expedited track. Pure.
 */
public final class PolicyDecider implements ScaleDecider {

  private final ScaleDecider kpa;
  private final ScalingPolicy clusterDefault;

  public PolicyDecider(ScaleDecider kpa, ScalingPolicy clusterDefault) {
    this.kpa = kpa;
    this.clusterDefault = clusterDefault;
  }

  @Override
  public ScaleDecision decide(ScaleInput input, long nowMillis) {
    if (input.scaling().policyOr(clusterDefault) == ScalingPolicy.EMERGENCY_ONLY) {
      return new ScaleDecision.Scale(input.scaling().minScale(), ScaleDecision.Reason.EMERGENCY_ONLY,
          PanicState.CALM, 0, 0);
    }
    return kpa.decide(input, nowMillis);
  }
}
