package io.pulse.controlplane.autoscale;

import io.pulse.controlplane.registry.FunctionSpec;
import io.pulse.controlplane.registry.ScalingPolicy;
import org.jspecify.annotations.Nullable;

/**
 * How long a function's last Regular Instance is kept after its last request under the policy in force, as
 * {@link PolicyDecider} applies it: {@code kpa} the function's keep-alive, {@code dual-track} its
 * {@link IdleKeepAlive}, {@code emergency-only} none (it keeps {@code minScale}, whatever the load). What an operator
 * reads beside the idle gaps that gave it. Pure.
 */
public record LastInstanceHold(IdleKeepAlive dualTrack, ScalingPolicy clusterDefault) {

  /** Milliseconds after the last request; null when the policy keeps no idle instance by time. */
  public @Nullable Long millis(FunctionSpec.Scaling scaling, IdleGaps gaps) {
    return millis(scaling, gaps, ColdStartShare.UNKNOWN, 0);
  }

  /**
   * The same, with what a cold start would add to the function's calls (unknown on a follower), for instances of
   * {@code memoryMiB} (0: unknown).
   */
  public @Nullable Long millis(FunctionSpec.Scaling scaling, IdleGaps gaps, ColdStartShare coldStart, int memoryMiB) {
    long keepAlive = scaling.keepAliveSeconds() * 1000L;
    return switch (scaling.policyOr(clusterDefault)) {
      case KPA -> keepAlive;
      case DUAL_TRACK -> dualTrack.millis(keepAlive, gaps, coldStart, memoryMiB);
      case EMERGENCY_ONLY -> null;
    };
  }
}
