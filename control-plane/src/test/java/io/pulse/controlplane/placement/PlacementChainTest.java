package io.pulse.controlplane.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementChainTest {

  private static final ResourceRequest SMALL = new ResourceRequest(100, 100);

  private static Candidate worker(String id, int usedCpu, int usedMemory, int reservedCpu, boolean draining) {
    return new Candidate(id, 1000, 1000, usedCpu, usedMemory, reservedCpu, 0, draining);
  }

  @Test
  void scan_drainingWorker_isNeverChosen_evenWhenLeastAllocated() {
    PlacementChain chain = PlacementChain.standard(TieBreak.BY_ID);

    assertThat(chain.scan(List.of(worker("a", 0, 0, 0, true), worker("b", 500, 500, 0, false)), SMALL))
        .isEqualTo(new PlacementResult.Placed("b"));
  }

  @Test
  void scan_onlyDrainingWorkers_saysNoLiveWorker() {
    assertThat(PlacementChain.standard(TieBreak.BY_ID).scan(List.of(worker("a", 0, 0, 0, true)), SMALL))
        .isEqualTo(new PlacementResult.NoCapacity("no live worker"));
  }

  @Test
  void scan_hostReservation_refusesAWorkerItsOwnInstancesLeaveRoomOn_andTheReasonCountsIt() {
    PlacementChain chain = PlacementChain.standard(TieBreak.BY_ID);
    Candidate reserved = worker("a", 800, 0, 150, false); // 200m free of Pulse's own, 50m once the host's share is in

    assertThat(FeasibilityCheck.FITS.admits(reserved, SMALL)).isTrue();
    assertThat(FeasibilityCheck.HOST_RESERVATIONS.admits(reserved, SMALL)).isFalse();
    assertThat(chain.scan(List.of(reserved), SMALL))
        .isEqualTo(new PlacementResult.NoCapacity("no worker has 100m CPU free: a has 50m CPU"));
  }

  @Test
  void scan_reservationsCountAsAllocated_whenRanking() {
    PlacementChain chain = PlacementChain.standard(TieBreak.BY_ID);

    assertThat(chain.scan(List.of(worker("a", 0, 0, 400, false), worker("b", 200, 0, 0, false)), SMALL))
        .isEqualTo(new PlacementResult.Placed("b"));
  }

  @Test
  void scan_seededTieBreak_sameSeedSameWorker_differentSeedsSpreadTies() {
    List<Candidate> equal = List.of(worker("a", 0, 0, 0, false), worker("b", 0, 0, 0, false),
        worker("c", 0, 0, 0, false), worker("d", 0, 0, 0, false));
    Set<PlacementResult> chosen = new HashSet<>();
    for (long seed = 0; seed < 32; seed++) {
      PlacementChain chain = PlacementChain.standard(TieBreak.seeded(seed));
      PlacementResult result = chain.scan(equal, SMALL);
      assertThat(chain.scan(equal.reversed(), SMALL)).isEqualTo(result);
      chosen.add(result);
    }
    assertThat(chosen).hasSizeGreaterThan(1);
  }

  @Test
  void scan_byIdTieBreak_takesTheSmallestId() {
    assertThat(PlacementChain.standard(TieBreak.BY_ID)
        .scan(List.of(worker("b", 0, 0, 0, false), worker("a", 0, 0, 0, false)), SMALL))
        .isEqualTo(new PlacementResult.Placed("a"));
  }

  @Test
  void scan_differentCapacities_rankBySharesExactly() {
    // big: (2000+100)/4000 + (2000+100)/4000 = 1.05; small: (400+100)/1000 + (400+100)/1000 = 1.0
    Candidate big = new Candidate("big", 4000, 4000, 2000, 2000, 0, 0, false);
    Candidate small = new Candidate("small", 1000, 1000, 400, 400, 0, 0, false);

    assertThat(PlacementChain.standard(TieBreak.BY_ID).scan(List.of(big, small), SMALL))
        .isEqualTo(new PlacementResult.Placed("small"));
  }
}
