package io.pulse.controlplane.instances;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.controlplane.placement.PlacementChain;
import io.pulse.controlplane.placement.PlacementIndex;
import io.pulse.controlplane.placement.ResourceRequest;
import io.pulse.controlplane.placement.TieBreak;
import java.util.List;
import org.junit.jupiter.api.Test;

class LifecyclePlannerTest {

  private static final ResourceRequest SMALL = new ResourceRequest(100, 64);

  private final PlacementIndex index = new PlacementIndex(PlacementChain.standard(TieBreak.BY_ID));

  private LifecyclePlanner.FunctionStep function(int desired, List<Instance> instances, long retryAt, long now) {
    return LifecyclePlanner.function(1, desired, instances, w -> false, retryAt, now, index.view(), SMALL);
  }

  @Test
  void function_backingOff_createsNothingUntilItsDeadline() {
    index.putWorker("w1", "h1", 1000, 1024, false);

    assertThat(function(2, List.of(), 1_000, 999))
        .isEqualTo(new LifecyclePlanner.FunctionStep(List.of(), List.of(), false, null));
    assertThat(function(2, List.of(), 1_000, 1_000))
        .isEqualTo(new LifecyclePlanner.FunctionStep(List.of("w1", "w1"), List.of(), false, null));
  }

  @Test
  void function_settledOnlyOnceNothingIsPending() {
    Instance pending = Instance.pending("f-1-a", "f", 1, "w1", SMALL, 0);

    assertThat(function(1, List.of(pending), Long.MIN_VALUE, 5).settled()).isFalse();
    assertThat(function(1, List.of(pending.ready(null, 5)), Long.MIN_VALUE, 5).settled()).isTrue();
  }

  @Test
  void function_placesEachCreationAgainstTheOnesBeforeIt_spreadingAndStoppingWhenFull() {
    index.putWorker("a", "h1", 250, 1024, false); // room for two
    index.putWorker("b", "h2", 150, 1024, false); // room for one

    LifecyclePlanner.FunctionStep step = function(4, List.of(), Long.MIN_VALUE, 0);

    assertThat(step.createOn()).containsExactly("a", "b", "a");
    assertThat(step.noCapacity()).isEqualTo("no worker has 100m CPU free: b has 50m CPU, a has 50m CPU");
    assertThat(step.creates()).isTrue();
    assertThat(index.view().candidates()).as("the index is left as it was")
        .allSatisfy(c -> assertThat(c.allocatedCpuMillis()).isZero());
  }

  @Test
  void function_noWorker_saysSo_andCreatesNothing() {
    LifecyclePlanner.FunctionStep step = function(1, List.of(), Long.MIN_VALUE, 0);

    assertThat(step).isEqualTo(new LifecyclePlanner.FunctionStep(List.of(), List.of(), false, "no live worker"));
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
