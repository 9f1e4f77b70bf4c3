package io.pulse.controlplane.instances;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.controlplane.placement.PlacementChain;
import io.pulse.controlplane.placement.PlacementIndex;
import io.pulse.controlplane.placement.ResourceRequest;
import io.pulse.controlplane.placement.RevisionKey;
import io.pulse.controlplane.placement.TieBreak;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LifecyclePlannerTest {

  private static final ResourceRequest SMALL = new ResourceRequest(100, 64);

  private final PlacementIndex index = new PlacementIndex(PlacementChain.standard(TieBreak.BY_ID));

  private LifecyclePlanner.FunctionStep function(int desired, List<Instance> instances, long retryAt, long now) {
    return LifecyclePlanner.function(new RevisionKey("f", 1), desired, instances, w -> false, retryAt, now,
        index.view(), SMALL);
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
    assertThat(function(1, List.of(pending.ready(null, WorkerListing.UNKNOWN, 5)), Long.MIN_VALUE, 5).settled())
        .isTrue();
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
  void function_prefersAWorkerHoldingAReadyPoolMember_andCountsEachMemberOnce() {
    index.putWorker("a", "h1", 1000, 1024, false);
    index.putWorker("b", "h2", 1000, 1024, false);
    index.allocate("b", 300, 64); // the ranking alone would take a, then a again
    index.pools("b", Map.of(new RevisionKey("f", 1), 1, new RevisionKey("f", 2), 5, new RevisionKey("g", 1), 5));

    assertThat(function(2, List.of(), Long.MIN_VALUE, 0).createOn())
        .as("the pool hit first; b's one member is claimed, so the second goes where the ranking says")
        .containsExactly("b", "a");
  }

  @Test
  void function_neverPicksADrainingOrFullWorkerForItsPoolMember() {
    index.putWorker("a", "h1", 1000, 1024, false);
    index.putWorker("draining", "h2", 1000, 1024, true);
    index.putWorker("full", "h3", 150, 1024, false);
    index.allocate("full", 100, 64);
    index.pools("draining", Map.of(new RevisionKey("f", 1), 3));
    index.pools("full", Map.of(new RevisionKey("f", 1), 3));

    assertThat(function(3, List.of(), Long.MIN_VALUE, 0).createOn()).containsExactly("a", "a", "a");
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
