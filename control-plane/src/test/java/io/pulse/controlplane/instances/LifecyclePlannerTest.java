package io.pulse.controlplane.instances;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.controlplane.placement.ResourceRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class LifecyclePlannerTest {

  private static final ResourceRequest SMALL = new ResourceRequest(100, 64);

  @Test
  void function_backingOff_createsNothingUntilItsDeadline() {
    LifecyclePlanner.FunctionStep waiting = LifecyclePlanner.function(1, 2, List.of(), w -> false, 1_000, 999);
    LifecyclePlanner.FunctionStep due = LifecyclePlanner.function(1, 2, List.of(), w -> false, 1_000, 1_000);

    assertThat(waiting).isEqualTo(new LifecyclePlanner.FunctionStep(0, List.of(), false));
    assertThat(due).isEqualTo(new LifecyclePlanner.FunctionStep(2, List.of(), false));
  }

  @Test
  void function_settledOnlyOnceNothingIsPending() {
    Instance pending = Instance.pending("f-1-a", "f", 1, "w1", SMALL, 0);

    assertThat(LifecyclePlanner.function(1, 1, List.of(pending), w -> false, Long.MIN_VALUE, 5).settled()).isFalse();
    assertThat(LifecyclePlanner.function(1, 1, List.of(pending.ready(null, 5)), w -> false, Long.MIN_VALUE, 5)
        .settled()).isTrue();
  }

  @Test
  void drain_waitsForRequestsInFlight_butNeverPastItsBound() {
    assertThat(LifecyclePlanner.drain(true, 10_000, 9_999))
        .isEqualTo(new LifecyclePlanner.DrainStep.Recheck(9_999 + LifecyclePlanner.DRAIN_RECHECK_MILLIS));
    assertThat(LifecyclePlanner.drain(true, 10_000, 10_000)).isEqualTo(new LifecyclePlanner.DrainStep.Delete());
    assertThat(LifecyclePlanner.drain(false, 10_000, 0)).isEqualTo(new LifecyclePlanner.DrainStep.Delete());
    assertThat(LifecyclePlanner.drainBound(1_000, 10, 30)).isEqualTo(31_010);
  }
}
