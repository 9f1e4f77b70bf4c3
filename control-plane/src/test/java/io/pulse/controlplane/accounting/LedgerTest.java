package io.pulse.controlplane.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerTest {

  private static final long T0 = 1_000_000;

  private final Ledger ledger = new Ledger(T0, 10_000, 100);

  private static RegularFact regular(String id, long created, long ready) {
    return new RegularFact(id, "f", "w-1", 256, created, ready, false);
  }

  private static UsageSample busy(String id, long micros) {
    return new UsageSample(id, "f", InstanceKind.REGULAR, micros, "", 0, 0, 0, 0);
  }

  private static UsageSample emergency(String id, long created, long creationMicros, long ended, long busyMicros) {
    return new UsageSample(id, "f", InstanceKind.EMERGENCY, busyMicros, "w-1", created, creationMicros, ended, 128);
  }

  @Test
  void regularInstance_createdReadyBusyEnded_chargesHeldFromCreationAndBusyFromReports() {
    assertThat(ledger.observeRegular(List.of(regular("r1", T0, 0)), T0))
        .containsExactly(new LedgerChange.Created(InstanceKind.REGULAR, "f", "w-1"));
    assertThat(ledger.observeRegular(List.of(regular("r1", T0, T0 + 200)), T0 + 200))
        .containsExactly(new LedgerChange.Ready(InstanceKind.REGULAR, "f", 0.2));
    ledger.usage(List.of(busy("r1", 2_000_000)), T0 + 5_000);
    assertThat(ledger.observeRegular(List.of(), T0 + 10_000))
        .containsExactly(new LedgerChange.Ended(InstanceKind.REGULAR, "f", 10.0));

    Usage usage = ledger.snapshot(T0 + 10_000).summary(T0 + 60_000).functions().get("f").all();
    assertThat(usage.heldMiBSeconds()).isCloseTo(256 * 10.0, within(1e-9)); // ended: no longer charged
    assertThat(usage.busyMiBSeconds()).isCloseTo(256 * 2.0, within(1e-9));
    assertThat(usage.normalizedCost()).isCloseTo(5.0, within(1e-9));
    assertThat(usage.creations()).isEqualTo(1);
    assertThat(usage.meanCreationMillis()).isCloseTo(200.0, within(1e-9));
  }

  @Test
  void liveInstance_isChargedUpToTheSummarysNow() {
    ledger.observeRegular(List.of(regular("r1", T0, T0 + 100)), T0 + 100);
    AccountingSnapshot snapshot = ledger.snapshot(T0 + 100);
    assertThat(snapshot.summary(T0 + 1_000).total().all().heldMiBSeconds()).isCloseTo(256.0, within(1e-9));
    assertThat(snapshot.summary(T0 + 3_000).total().all().heldMiBSeconds()).isCloseTo(768.0, within(1e-9));
    assertThat(snapshot.summary(T0 + 3_000).total().all().normalizedCost()).isNull();
  }

  @Test
  void adoptedInstance_isChargedButNotCountedAsACreation() {
    List<LedgerChange> changes = ledger.observeRegular(
        List.of(new RegularFact("a1", "f", "w-1", 100, T0 - 5_000, T0, true)), T0);
    assertThat(changes).isEmpty();
    Usage usage = ledger.snapshot(T0).summary(T0 + 1_000).total().all();
    assertThat(usage.creations()).isZero();
    assertThat(usage.heldMiBSeconds()).isCloseTo(600.0, within(1e-9));
    assertThat(usage.meanCreationMillis()).isNull();
  }

  @Test
  void emergencyInstance_fromUsageReport_carriesItsFactsAndEndsOnce() {
    List<LedgerChange> changes = ledger.usage(List.of(emergency("e1", T0, 40_000, T0 + 540, 500_000)), T0 + 1_000);
    assertThat(changes).containsExactly(new LedgerChange.Created(InstanceKind.EMERGENCY, "f", "w-1"),
        new LedgerChange.Ready(InstanceKind.EMERGENCY, "f", 0.04),
        new LedgerChange.Ended(InstanceKind.EMERGENCY, "f", 0.54));
    // The same facts repeated in a later report change nothing but busy time.
    assertThat(ledger.usage(List.of(emergency("e1", T0, 40_000, T0 + 540, 0)), T0 + 2_000)).isEmpty();

    AccountingSnapshot.Summary summary = ledger.snapshot(T0 + 2_000).summary(T0 + 2_000);
    Usage usage = summary.total().byKind().get(InstanceKind.EMERGENCY);
    assertThat(usage.heldMiBSeconds()).isCloseTo(128 * 0.54, within(1e-9));
    assertThat(usage.busyMiBSeconds()).isCloseTo(128 * 0.5, within(1e-9));
    assertThat(usage.creations()).isEqualTo(1);
    assertThat(summary.total().byKind().get(InstanceKind.REGULAR).creations()).isZero();
  }

  @Test
  void emergencyInstance_seenInAListingFirst_endsWhenItsWorkerNoLongerListsIt() {
    ListedSandbox listed = new ListedSandbox("e2", "f", T0, 128);
    assertThat(ledger.workerListing("w-1", List.of(listed), T0 + 100))
        .containsExactly(new LedgerChange.Created(InstanceKind.EMERGENCY, "f", "w-1"));
    assertThat(ledger.usage(List.of(emergency("e2", T0, 30_000, 0, 100_000)), T0 + 200))
        .containsExactly(new LedgerChange.Ready(InstanceKind.EMERGENCY, "f", 0.03));
    assertThat(ledger.workerListing("w-2", List.of(), T0 + 300)).as("another worker's listing").isEmpty();
    assertThat(ledger.workerListing("w-1", List.of(), T0 + 1_000))
        .containsExactly(new LedgerChange.Ended(InstanceKind.EMERGENCY, "f", 1.0));
  }

  @Test
  void emergencyInstance_onDeadWorker_ends() {
    ledger.usage(List.of(emergency("e3", T0, 10_000, 0, 0)), T0);
    assertThat(ledger.workerGone("w-1", T0 + 2_000))
        .containsExactly(new LedgerChange.Ended(InstanceKind.EMERGENCY, "f", 2.0));
  }

  @Test
  void prune_foldsOldEndedInstancesWithoutChangingTotals() {
    ledger.usage(List.of(emergency("e4", T0, 10_000, T0 + 1_000, 400_000)), T0 + 1_000);
    ledger.observeRegular(List.of(regular("r2", T0, T0 + 50)), T0 + 50);
    AccountingSnapshot.Summary before = ledger.snapshot(T0 + 20_000).summary(T0 + 20_000);
    ledger.prune(T0 + 20_000);
    AccountingSnapshot after = ledger.snapshot(T0 + 20_000);
    assertThat(after.instancesOf("f")).extracting(InstanceAccount::id).containsExactly("r2");
    assertThat(after.summary(T0 + 20_000)).isEqualTo(before);
  }

  @Test
  void unknownRegularUsage_isIgnored() {
    ledger.usage(List.of(busy("nobody", 1_000_000)), T0);
    assertThat(ledger.snapshot(T0).summary(T0).functions()).isEmpty();
  }

  @Test
  void creationsPerSecond_countsBothKindsOverTheWindow() {
    ledger.observeRegular(List.of(regular("r1", T0, T0 + 10), regular("r2", T0, T0 + 10)), T0 + 10);
    ledger.usage(List.of(emergency("e1", T0 + 5, 1_000, T0 + 20, 0)), T0 + 20);
    assertThat(ledger.snapshot(T0 + 20).summary(T0 + 2_000).creationsPerSecond()).isCloseTo(1.5, within(1e-9));
  }

  @Test
  void poolMembers_areHeldNeverBusy_andNeitherInstancesNorCreations() {
    ledger.observeRegular(List.of(regular("r1", T0, T0)), T0);
    ledger.usage(List.of(busy("r1", 1_000_000)), T0 + 1_000);
    // Two members of 64 MiB for 2 s, then one for 3 s; then the worker goes away: nothing more.
    ledger.pools("w-1", List.of(new PoolHolding("w-1", "f", 2, 64, 0)), T0);
    ledger.pools("w-1", List.of(new PoolHolding("w-1", "f", 1, 64, 0)), T0 + 2_000);
    ledger.workerGone("w-1", T0 + 5_000);

    AccountingSnapshot.FunctionSummary f = ledger.snapshot(T0 + 10_000).summary(T0 + 10_000).functions().get("f");
    Usage pool = f.byKind().get(InstanceKind.POOL);
    assertThat(pool.heldMiBSeconds()).isCloseTo(64 * 2 * 2.0 + 64 * 3.0, within(1e-9));
    assertThat(pool.busyMiBSeconds()).isZero();
    assertThat(pool.creations()).isZero();
    assertThat(f.all().heldMiBSeconds()).isCloseTo(256 * 10.0 + 64 * 7.0, within(1e-9));
    assertThat(f.all().busyMiBSeconds()).isCloseTo(256 * 1.0, within(1e-9));
    assertThat(f.all().creations()).isEqualTo(1);
    assertThat(f.all().live()).isEqualTo(1);
  }

  @Test
  void poolMembersHeldNow_areChargedUpToTheSummarysNow_butAreNotLiveInstances() {
    ledger.pools("w-1", List.of(new PoolHolding("w-1", "f", 3, 100, 0)), T0);
    AccountingSnapshot snapshot = ledger.snapshot(T0);
    AccountingSnapshot.FunctionSummary f = snapshot.summary(T0 + 2_000).functions().get("f");
    assertThat(f.all().heldMiBSeconds()).isCloseTo(600.0, within(1e-9));
    assertThat(f.byKind().get(InstanceKind.POOL).live()).isEqualTo(3);
    assertThat(f.all().live()).isZero();
    assertThat(snapshot.summary(T0 + 2_000).total().all().heldMiBSeconds()).isCloseTo(600.0, within(1e-9));
  }
}
