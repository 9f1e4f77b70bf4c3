package io.pulse.controlplane.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.controlplane.registry.FunctionSpec.Scaling;
import io.pulse.controlplane.registry.ScalingPolicy;
import org.junit.jupiter.api.Test;

/** What an operator is shown for each policy: the same hold the policy's decider applies. */
class LastInstanceHoldTest {

  private static final IdleGaps GAPS = IdleGaps.of(200_000, 180_000, 200_000); // keep-alive 60 s: all within 5

  private static Scaling scaling(ScalingPolicy policy) {
    return new Scaling(0, 0, 1, 60, policy, 0);
  }

  @Test
  void kpaKeepsItsKeepAlive_dualTrackItsIdleHold_emergencyOnlyNone() {
    LastInstanceHold holds = new LastInstanceHold(new IdleKeepAlive(5), ScalingPolicy.KPA);

    assertThat(holds.millis(scaling(ScalingPolicy.KPA), GAPS)).isEqualTo(60_000);
    assertThat(holds.millis(scaling(ScalingPolicy.DUAL_TRACK), GAPS))
        .isEqualTo(new IdleKeepAlive(5).millis(60_000, GAPS)).isEqualTo(300_000);
    assertThat(holds.millis(scaling(ScalingPolicy.EMERGENCY_ONLY), GAPS)).isNull();
    assertThat(holds.millis(new Scaling(0, 0, 1, 60), GAPS)).as("the cluster default: kpa here").isEqualTo(60_000);
  }
}
