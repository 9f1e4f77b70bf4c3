package io.pulse.controlplane.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.controlplane.autoscale.window.ConcurrencyWindow;
import io.pulse.controlplane.registry.FunctionSpec.Scaling;
import io.pulse.controlplane.registry.ScalingPolicy;
import org.junit.jupiter.api.Test;

class PolicyDeciderTest {

  private static final ScaleDecision KPA_SAYS_FIVE =
      new ScaleDecision.Scale(5, ScaleDecision.Reason.STABLE, PanicState.CALM, 5, 5);

  private static ScaleInput input(ScalingPolicy policy, int minScale) {
    return new ScaleInput("f", new Scaling(minScale, 0, 1, 60, policy, 0), 1,
        ConcurrencyWindow.empty(1000, 60_000), 5, 0, PanicState.CALM);
  }

  @Test
  void emergencyOnly_keepsMinScaleWhateverTheLoad() {
    PolicyDecider decider = new PolicyDecider((in, now) -> KPA_SAYS_FIVE, ScalingPolicy.DUAL_TRACK);

    ScaleDecision decision = decider.decide(input(ScalingPolicy.EMERGENCY_ONLY, 0), 1000);

    assertThat(decision).isInstanceOfSatisfying(ScaleDecision.Scale.class, s -> {
      assertThat(s.desired()).isZero();
      assertThat(s.reason()).isEqualTo(ScaleDecision.Reason.EMERGENCY_ONLY);
    });
    assertThat(((ScaleDecision.Scale) decider.decide(input(ScalingPolicy.EMERGENCY_ONLY, 2), 1000)).desired())
        .isEqualTo(2);
  }

  @Test
  void dualTrack_followsItsOwnKpa_kpaTheOther_andTheClusterDefaultPicks() {
    ScaleDecision dualSaysTwo = new ScaleDecision.Scale(2, ScaleDecision.Reason.STABLE, PanicState.CALM, 2, 2);
    PolicyDecider decider = new PolicyDecider((in, now) -> KPA_SAYS_FIVE, (in, now) -> dualSaysTwo,
        ScalingPolicy.DUAL_TRACK);

    assertThat(decider.decide(input(ScalingPolicy.DUAL_TRACK, 0), 0)).isEqualTo(dualSaysTwo);
    assertThat(decider.decide(input(null, 0), 0)).isEqualTo(dualSaysTwo);
    assertThat(decider.decide(input(ScalingPolicy.KPA, 0), 0)).isEqualTo(KPA_SAYS_FIVE);
    assertThat(new PolicyDecider((in, now) -> KPA_SAYS_FIVE, (in, now) -> dualSaysTwo, ScalingPolicy.KPA)
        .decide(input(null, 0), 0)).isEqualTo(KPA_SAYS_FIVE);
  }

  @Test
  void dualTrackAndKpa_followTheKpa_andTheClusterDefaultAppliesWhenUnset() {
    PolicyDecider dualTrackCluster = new PolicyDecider((in, now) -> KPA_SAYS_FIVE, ScalingPolicy.DUAL_TRACK);
    PolicyDecider emergencyCluster = new PolicyDecider((in, now) -> KPA_SAYS_FIVE, ScalingPolicy.EMERGENCY_ONLY);

    assertThat(dualTrackCluster.decide(input(ScalingPolicy.DUAL_TRACK, 0), 0)).isEqualTo(KPA_SAYS_FIVE);
    assertThat(dualTrackCluster.decide(input(ScalingPolicy.KPA, 0), 0)).isEqualTo(KPA_SAYS_FIVE);
    assertThat(dualTrackCluster.decide(input(null, 0), 0)).isEqualTo(KPA_SAYS_FIVE);
    assertThat(((ScaleDecision.Scale) emergencyCluster.decide(input(null, 0), 0)).desired()).isZero();
    assertThat(emergencyCluster.decide(input(ScalingPolicy.KPA, 0), 0)).isEqualTo(KPA_SAYS_FIVE);
  }
}
