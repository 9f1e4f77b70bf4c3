package io.pulse.controlplane.placement;

import static org.assertj.core.api.Assertions.assertThat;

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
}
