package io.pulse.controlplane.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementIndexTest {

  private static final ResourceRequest SMALL = new ResourceRequest(100, 100);

  private final PlacementIndex index = new PlacementIndex(PlacementChain.standard(TieBreak.BY_ID));

  @Test
  void place_followsAllocations_asInstancesComeAndGo() {
    index.putWorker("a", "h1", 1000, 1000, false);
    index.putWorker("b", "h2", 1000, 1000, false);

    index.allocate("a", 300, 300);
    assertThat(index.place(SMALL)).isEqualTo(new PlacementResult.Placed("b"));
    index.allocate("b", 500, 500);
    assertThat(index.place(SMALL)).isEqualTo(new PlacementResult.Placed("a"));
    index.allocate("b", -500, -500);
    assertThat(index.place(SMALL)).isEqualTo(new PlacementResult.Placed("b"));
  }

  @Test
  void claim_countsAMemberGone_untilTheWorkersNextReport() {
    RevisionKey f1 = new RevisionKey("f", 1);
    index.putWorker("a", "h1", 1000, 1000, false);
    index.putWorker("b", "h2", 1000, 1000, false);
    index.allocate("b", 500, 500);
    index.pools("b", Map.of(f1, 1));
    assertThat(index.view().tentative().place(SMALL, f1)).isEqualTo(new PlacementResult.Placed("b"));

    index.claim("b", f1); // a creation went there in an earlier step: the next one does not count on that member
    assertThat(index.view().tentative().place(SMALL, f1)).isEqualTo(new PlacementResult.Placed("a"));
    index.pools("b", Map.of(f1, 2)); // refilled
    assertThat(index.view().tentative().place(SMALL, f1)).isEqualTo(new PlacementResult.Placed("b"));
  }

  @Test
  void pools_ofAWorkerThatDied_areForgotten_andAReportFromADeadWorkerIsIgnored() {
    RevisionKey f1 = new RevisionKey("f", 1);
    index.putWorker("a", "h1", 1000, 1000, false);
    index.putWorker("b", "h2", 1000, 1000, false);
    index.allocate("b", 500, 500);
    index.pools("b", Map.of(f1, 1));

    index.removeWorker("b");
    index.pools("b", Map.of(f1, 1));
    index.putWorker("b", "h2", 1000, 1000, false);
    assertThat(index.view().tentative().place(SMALL, f1)).isEqualTo(new PlacementResult.Placed("a"));
  }

  @Test
  void pools_unchangedReport_keepsViewsValid() {
    RevisionKey f1 = new RevisionKey("f", 1);
    index.putWorker("a", "h1", 1000, 1000, false);
    index.pools("a", Map.of(f1, 1));
    PlacementView view = index.view();

    index.pools("a", Map.of(f1, 1)); // the usual heartbeat
    assertThat(view.place(SMALL)).isEqualTo(new PlacementResult.Placed("a"));
    index.pools("a", Map.of());
    assertThatThrownBy(() -> view.place(SMALL)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void place_drainingAndDeadWorkers_areSkipped_untilTheyAreBack() {
    index.putWorker("a", "h1", 1000, 1000, false);
    index.putWorker("b", "h2", 1000, 1000, false);
    index.allocate("b", 500, 500);

    index.putWorker("a", "h1", 1000, 1000, true);
    assertThat(index.place(SMALL)).isEqualTo(new PlacementResult.Placed("b"));
    index.removeWorker("b");
    assertThat(index.place(SMALL)).isEqualTo(new PlacementResult.NoCapacity("no live worker"));
    index.putWorker("a", "h1", 1000, 1000, false);
    assertThat(index.place(SMALL)).isEqualTo(new PlacementResult.Placed("a"));
  }

  @Test
  void place_aHostsReservation_isSplitAmongItsWorkers_andFollowsTheirNumber() {
    index.putWorker("a", "h1", 1000, 1000, false);
    index.reservations(new HostReservations(Map.of("h1", new HostReservations.Reserved(1900, 0))));
    assertThat(index.place(SMALL)).isInstanceOf(PlacementResult.NoCapacity.class);

    index.putWorker("b", "h1", 1000, 1000, false); // the host's 1900m now weigh 950m on each
    assertThat(index.place(SMALL)).isInstanceOf(PlacementResult.NoCapacity.class);
    index.putWorker("c", "h1", 1000, 1000, false); // 634m each
    assertThat(index.place(SMALL)).isEqualTo(new PlacementResult.Placed("a"));
  }

  @Test
  void place_nothingFits_givesTheSameReasonAsTheScan() {
    index.putWorker("a", "h1", 1000, 1000, false);
    index.allocate("a", 950, 0);

    assertThat(index.place(SMALL)).isEqualTo(new PlacementResult.NoCapacity(
        "no worker has 100m CPU free: a has 50m CPU"));
  }

  @Test
  void tentative_countsWhatItPlacedForTheNextPlacement_andLeavesTheIndexAsItWas() {
    index.putWorker("a", "h1", 1000, 1000, false);
    index.putWorker("b", "h2", 1000, 1000, false);
    index.allocate("b", 150, 150);
    TentativePlacement tentative = index.view().tentative();

    assertThat(tentative.take(SMALL)).isEqualTo(new PlacementResult.Placed("a"));
    assertThat(tentative.take(SMALL)).as("a holds 100 now, less than b's 150").isEqualTo(new PlacementResult.Placed("a"));
    assertThat(tentative.take(SMALL)).as("a holds 200 now").isEqualTo(new PlacementResult.Placed("b"));
    assertThat(index.place(SMALL)).as("the index saw none of it").isEqualTo(new PlacementResult.Placed("a"));
    assertThat(index.candidates()).filteredOn(c -> c.workerId().equals("a"))
        .singleElement().extracting(Candidate::allocatedCpuMillis).isEqualTo(0);
  }

  @Test
  void tentative_fillsAWorker_thenSaysWhyNothingFits() {
    index.putWorker("a", "h1", 250, 1000, false);
    TentativePlacement tentative = index.view().tentative();

    tentative.take(SMALL);
    tentative.take(SMALL);

    assertThat(tentative.take(SMALL)).isEqualTo(new PlacementResult.NoCapacity(
        "no worker has 100m CPU free: a has 50m CPU"));
  }

  @Test
  void view_usedAfterTheIndexChanged_refusesToAnswer() {
    index.putWorker("a", "h1", 1000, 1000, false);
    PlacementView view = index.view();
    TentativePlacement tentative = view.tentative();

    index.allocate("a", 100, 100);

    assertThatThrownBy(() -> view.place(SMALL)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> tentative.take(SMALL)).isInstanceOf(IllegalStateException.class);
    assertThat(index.view().place(SMALL)).isEqualTo(new PlacementResult.Placed("a"));
  }
}
