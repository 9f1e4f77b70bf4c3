package io.pulse.dataplane.expedited;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.dataplane.routing.RouteDelta;
import io.pulse.dataplane.routing.RoutingTable;
import io.pulse.dataplane.routing.WorkerLoad;
import io.pulse.dataplane.routing.WorkerRef;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EmergencyLedgerTest {

  private final AtomicLong nanos = new AtomicLong();

  private static RoutingTable table(List<WorkerLoad> loads, WorkerRef... workers) {
    return RoutingTable.empty().apply(new RouteDelta(true, List.of(), List.of(), List.of(workers), loads));
  }

  private static WorkerRef worker(String id, int cpu, int reserveCpu) {
    return new WorkerRef(id, id + ":1", cpu, 4096, reserveCpu, 0);
  }

  @Test
  void reserve_roundRobinsOverWorkersWithHeadroom() {
    EmergencyLedger ledger = new EmergencyLedger(8, 1000, nanos::get);
    RoutingTable table = table(List.of(), worker("a", 1000, 0), worker("b", 1000, 0), worker("c", 1000, 0));

    List<String> picked = java.util.stream.IntStream.range(0, 6)
        .mapToObj(i -> ledger.reserve(table, 100, 64).worker().id()).toList();

    assertThat(picked).containsExactly("a", "b", "c", "a", "b", "c");
  }

  @Test
  void reserve_countsRegularLoadReserveAndItsOwnInstances_thenFreesOnRelease() {
    EmergencyLedger ledger = new EmergencyLedger(8, 1000, nanos::get);
    // 1000m placeable + 200m reserve, 800m held by Regular Instances: 400m of headroom.
    RoutingTable table = table(List.of(new WorkerLoad("a", 800, 0, 0)), worker("a", 1000, 200));

    Reservation first = ledger.reserve(table, 300, 64);
    assertThat(first).isNotNull();
    assertThat(ledger.reserve(table, 300, 64)).as("only 100m left").isNull();

    ledger.creationEnded(first);
    ledger.release(first);
    assertThat(ledger.reserve(table, 300, 64)).isNotNull();
  }

  @Test
  void reserve_countsTheControlPlanesRegularCreationsBesideOurs_butNotAgainstOurCap() {
    EmergencyLedger ledger = new EmergencyLedger(2, 1000, nanos::get);
    // The control plane creates three Regular Instances on a: a creation there shares the host with them.
    RoutingTable table = table(List.of(new WorkerLoad("a", 300, 192, 3)), worker("a", 10_000, 0));

    Reservation one = ledger.reserve(table, 10, 1);
    Reservation two = ledger.reserve(table, 10, 1);
    assertThat(List.of(one.othersCreating(), two.othersCreating())).containsExactly(3, 4);
    assertThat(one.start()).as("not alone: its time says nothing of an alone creation")
        .isEqualTo(Reservation.Start.SHARED);
    assertThat(ledger.creatingOn(table, "a")).isEqualTo(5);
    assertThat(ledger.creating("a")).as("ours only").isEqualTo(2);
    assertThat(ledger.reserve(table, 10, 1)).as("our cap of two, whatever the control plane creates").isNull();

    RoutingTable ready = table(List.of(new WorkerLoad("a", 300, 192, 0)), worker("a", 10_000, 0));
    ledger.creationEnded(one);
    ledger.creationEnded(two);
    Reservation alone = ledger.reserve(ready, 10, 1);
    assertThat(alone.start()).isEqualTo(Reservation.Start.ALONE);
    assertThat(alone.othersCreating()).isZero();
    assertThat(ledger.creatingOn(ready, "unseen")).isZero();
  }

  @Test
  void reserve_boundsConcurrentCreationsPerWorker_andSkipsCoolingOrUnknownWorkers() {
    EmergencyLedger ledger = new EmergencyLedger(2, 1000, nanos::get);
    RoutingTable table = table(List.of(), worker("a", 10_000, 0), new WorkerRef("unknown", "u:1"));

    Reservation one = ledger.reserve(table, 10, 1);
    Reservation two = ledger.reserve(table, 10, 1);
    assertThat(ledger.reserve(table, 10, 1)).as("two creations under way on the only known worker").isNull();
    assertThat(List.of(one.othersCreating(), two.othersCreating())).as("what each was placed beside")
        .containsExactly(0, 1);

    ledger.creationEnded(one);
    Reservation three = ledger.reserve(table, 10, 1);
    assertThat(three).isNotNull();
    assertThat(ledger.creating("a")).isEqualTo(2);
    ledger.creationEnded(one);
    assertThat(ledger.creating("a")).as("a creation ends once, however often it is told").isEqualTo(2);

    ledger.coolDown("a");
    ledger.creationEnded(three);
    assertThat(ledger.reserve(table, 10, 1)).isNull();
    nanos.addAndGet(1_000_000_000L);
    assertThat(ledger.reserve(table, 10, 1)).isNotNull();
  }

  @Test
  void reserve_prefersAWorkerWithAReadyPoolMember_andFallsBackToTheRotation() {
    EmergencyLedger ledger = new EmergencyLedger(8, 1000, nanos::get);
    RoutingTable table = table(List.of(new WorkerLoad("c", 950, 0, 0)), worker("a", 1000, 0), worker("b", 1000, 0),
        worker("c", 1000, 0));

    // b holds two ready members: the first two creations go there; with two under way it is no longer a likely hit.
    java.util.Map<String, Integer> pooled = java.util.Map.of("b", 2);
    assertThat(ledger.reserve(table, 100, 64, pooled).worker().id()).isEqualTo("b");
    assertThat(ledger.reserve(table, 100, 64, pooled).worker().id()).isEqualTo("b");
    // The rotation resumes after b: c has only 50m free, so a.
    assertThat(ledger.reserve(table, 100, 64, pooled).worker().id()).isEqualTo("a");

    // A pooled worker without headroom is passed over (c has 50m free): the rotation goes on.
    EmergencyLedger other = new EmergencyLedger(8, 1000, nanos::get);
    assertThat(other.reserve(table, 100, 64, java.util.Map.of("c", 3)).worker().id()).isEqualTo("a");
  }

  @Test
  void slowCreations_lowerTheWorkersLimit_butNotForALikelyPoolHit() {
    EmergencyLedger ledger = new EmergencyLedger(8, 1000, nanos::get);
    RoutingTable table = table(List.of(), worker("a", 100_000, 0));
    for (int round = 0; round < 40; round++) {
      // Four at once where the worker lets them: the one that began alone takes 100 ms, the others eight times that.
      List<Reservation> batch = new java.util.ArrayList<>();
      for (Reservation r = ledger.reserve(table, 10, 1); r != null && batch.size() < 4; ) {
        batch.add(r);
        r = batch.size() < 4 ? ledger.reserve(table, 10, 1) : null;
      }
      batch.forEach(r -> ledger.creationEnded(r, r.start() == Reservation.Start.ALONE ? 100_000_000L : 800_000_000L));
    }
    int limit = ledger.creationLimits().get("a");
    assertThat(limit).isBetween(1, 3);
    for (int i = 0; i < limit; i++) {
      assertThat(ledger.reserve(table, 10, 1)).isNotNull();
    }
    assertThat(ledger.reserve(table, 10, 1)).as("the worker's creation limit is reached").isNull();
    Reservation pooled = ledger.reserve(table, 10, 1, java.util.Map.of("a", limit + 1));
    assertThat(pooled).as("a likely pool hit only starts a sandbox: the fixed cap alone bounds it").isNotNull();
    assertThat(pooled.start()).isEqualTo(Reservation.Start.LIKELY_POOL_HIT);
    assertThat(pooled.othersCreating()).as("a claim is not slowed like a creation").isZero();
    ledger.creationEnded(pooled, 60_000_000_000L);
    assertThat(ledger.creationLimits().get("a")).as("a pool hit's time teaches nothing").isEqualTo(limit);
  }
}
