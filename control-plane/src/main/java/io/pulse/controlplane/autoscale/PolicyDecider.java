package io.pulse.controlplane.autoscale;

import io.pulse.controlplane.registry.ScalingPolicy;

/**
 * Applies a function's scaling policy around the KPA. {@code kpa} scales Regular Instances by the KPA;
 * {@code dual-track} by its own KPA ({@code dualTrack}: in Pulse the KPA without panic mode, whose surges the
 * expedited track serves; the data plane also decides whether a request without a free slot takes the expedited
 * track, and filters the load it reports); {@code emergency-only} keeps {@code minScale} Regular Instances and
 * leaves everything else to the expedited track. Pure.
 */
public final class PolicyDecider implements ScaleDecider {

  private final ScaleDecider kpa;
  private final ScaleDecider dualTrack;
  private final ScalingPolicy clusterDefault;

  /** Dual-track functions scaled by the same KPA as {@code kpa} ones. */
  public PolicyDecider(ScaleDecider kpa, ScalingPolicy clusterDefault) {
    this(kpa, kpa, clusterDefault);
  }

  public PolicyDecider(ScaleDecider kpa, ScaleDecider dualTrack, ScalingPolicy clusterDefault) {
    this.kpa = kpa;
    this.dualTrack = dualTrack;
    this.clusterDefault = clusterDefault;
  }

  @Override
  public ScaleDecision decide(ScaleInput input, long nowMillis) {
    return switch (input.scaling().policyOr(clusterDefault)) {
      case EMERGENCY_ONLY -> new ScaleDecision.Scale(input.scaling().minScale(), ScaleDecision.Reason.EMERGENCY_ONLY,
          PanicState.CALM, 0, 0);
      case DUAL_TRACK -> dualTrack.decide(input, nowMillis);
      case KPA -> kpa.decide(input, nowMillis);
    };
  }
}
