package io.pulse.controlplane.pools;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.controlplane.instances.PlanApplier;
import io.pulse.controlplane.membership.WorkerInfo;
import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.registry.FunctionSpec;
import io.pulse.controlplane.status.FunctionStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The decider with a manual clock (every call carries {@code now}); what it returns goes out through a real applier to
 * a recording worker client, and the answers come back to it.
 */
class AutoPoolSizerTest {

  private final RecordingWorkerClient client = new RecordingWorkerClient();
  private final List<String> sent = client.sent;

  private static final WorkerInfo C1 = pooling("c1", 8, 1024);
  private static final WorkerInfo C2 = pooling("c2", 8, 1024);
  private static final WorkerInfo NO_BUDGET = new WorkerInfo("c3", "127.0.0.1:3", "h", "containerd", 1000, 1024);
  private static final WorkerInfo PROCESS = new WorkerInfo("p1", "127.0.0.1:4", "h", "process", 1000, 1024, 0, 0, 8,
      1024);

  private final PlanApplier applier = client.applier(7);
  private final AutoPoolSizer sizer = new AutoPoolSizer(PoolSizing.Settings.DEFAULTS);
  private final Map<String, List<FunctionStatus.Pool>> pools = new HashMap<>();

  private static WorkerInfo pooling(String id, int members, int memoryMiB) {
    return new WorkerInfo(id, "127.0.0.1:1", "h", "containerd", 1000, 1024, 0, 0, members, memoryMiB);
  }

  private static FunctionRecord function(String name, long revision, FunctionSpec.Scaling scaling, int memoryMiB) {
    FunctionSpec spec = new FunctionSpec(name, "busybox:latest", List.of("httpd"), 8080, Map.of(),
        new FunctionSpec.Resources(250, memoryMiB), scaling, 30);
    return new FunctionRecord(spec, revision, Instant.EPOCH, Instant.EPOCH);
  }

  /** The window creations are counted over: a sixth of the functions' 60 s keep-alive. */
  private static final long WINDOW = 10_000;

  private static FunctionRecord auto(String name, long revision) {
    return function(name, revision, new FunctionSpec.Scaling(0, 0, 1, 60, null, 0, 0, true), 64);
  }

  private static FunctionRecord auto(String name, long revision, int keepAliveSeconds) {
    return function(name, revision, new FunctionSpec.Scaling(0, 0, 1, keepAliveSeconds, null, 0, 0, true), 64);
  }

  private void tick(List<FunctionRecord> functions, List<WorkerInfo> alive, long now) {
    applier.send(sizer.tick(functions, alive, f -> pools.getOrDefault(f, List.of()), now), sizer::answered);
  }

  @Test
  void tick_sendsTheRatesTargetToPoolingContainerdWorkersOnly_andNothingWhileItHolds() {
    sizer.created("f", "c1", 1_000);
    sizer.created("f", "c2", 1_000);
    sizer.created("f", "c3", 1_000);

    tick(List.of(auto("f", 2)), List.of(C1, C2, NO_BUDGET, PROCESS), 2_000);
    assertThat(sent).containsExactlyInAnyOrder("c1:f@2=1/e7", "c2:f@2=1/e7");

    sent.clear();
    tick(List.of(auto("f", 2)), List.of(C1, C2, NO_BUDGET, PROCESS), 3_000);
    assertThat(sent).isEmpty();
  }

  @Test
  void tick_aBurstRaisesTheTargets_measuredRefillTimeIncluded_andTheyFallBackToZeroWhenCreationsStop() {
    // Target 0: a target above 0 reported before this sizer sent any is a previous term's, which it takes over.
    pools.put("f", List.of(new FunctionStatus.Pool("c1", "f", 2, 0, 1, 0, 0, null, 400_000)));
    for (int i = 0; i < 100; i++) {
      // 5/s on each worker over the short window; 0.4 s refill: 4 with the margin on each
      sizer.created("f", i % 2 == 0 ? "c1" : "c2", 1_000 + i);
    }

    tick(List.of(auto("f", 2)), List.of(C1, C2), 2_000);
    assertThat(sent).containsExactlyInAnyOrder("c1:f@2=4/e7", "c2:f@2=4/e7");

    sent.clear();
    tick(List.of(auto("f", 2)), List.of(C1, C2), 2_000 + WINDOW);
    assertThat(sent).containsExactlyInAnyOrder("c1:f@2=0/e7", "c2:f@2=0/e7");
  }

  @Test
  void tick_aNewRevisionIsToldAtOnce_evenAZeroWhichDrainsTheOldPool() {
    sizer.created("f", "c1", 1_000);
    sizer.created("f", "c1", 1_100);
    tick(List.of(auto("f", 2)), List.of(C1), 2_000);
    sent.clear();

    tick(List.of(auto("f", 3)), List.of(C1), 2_000 + WINDOW);

    assertThat(sent).containsExactly("c1:f@3=0/e7");
  }

  @Test
  void tick_aTargetAboveZeroIsToldAgainAfterTheRefreshTime_soTheWorkerNeverFindsThePoolIdle() {
    FunctionRecord f = auto("f", 2, 600); // a 100 s window
    sizer.created("f", "c1", 1_000);
    sizer.created("f", "c1", 1_100);
    tick(List.of(f), List.of(C1), 2_000);
    sent.clear();

    tick(List.of(f), List.of(C1), 2_000 + AutoPoolSizer.REFRESH_MS - 1);
    assertThat(sent).isEmpty();
    tick(List.of(f), List.of(C1), 2_000 + AutoPoolSizer.REFRESH_MS);
    assertThat(sent).containsExactly("c1:f@2=1/e7");
  }

  @Test
  void workerJoined_aWorkerThatRegistersAgainIsToldItsTargetsAgain_itsRestartLostThePools() {
    sizer.created("f", "c1", 1_000);
    sizer.created("f", "c2", 1_000);
    tick(List.of(auto("f", 2)), List.of(C1, C2), 2_000);
    sent.clear();

    sizer.workerJoined("c1");
    tick(List.of(auto("f", 2)), List.of(C1, C2), 3_000);

    assertThat(sent).containsExactly("c1:f@2=1/e7");
  }

  @Test
  void tick_aFailedSendIsRetriedAtTheNextTick() {
    sizer.created("f", "c1", 1_000);
    sizer.created("f", "c1", 1_100);
    client.failing = true;
    tick(List.of(auto("f", 2)), List.of(C1), 2_000);
    client.failing = false;

    tick(List.of(auto("f", 2)), List.of(C1), 3_000);

    assertThat(sent).containsExactly("c1:f@2=1/e7", "c1:f@2=1/e7");
  }

  @Test
  void anAbandonedTerm_sendsNoTarget() {
    sizer.created("f", "c1", 1_000);
    sizer.created("f", "c1", 1_100);
    applier.abandon();

    tick(List.of(auto("f", 2)), List.of(C1, C2), 2_000);

    assertThat(sent).isEmpty();
  }

  @Test
  void tick_fixedPrewarmsKeepTheirShareOfTheBudget_andFunctionsWithoutAutoAreLeftToThePoolTargetSender() {
    FunctionRecord fixed = function("fixed", 1, new FunctionSpec.Scaling(0, 0, 1, 60, null, 0, 7), 64);
    for (int i = 0; i < 100; i++) {
      sizer.created("f", "c1", 1_000 + i);
      sizer.created("fixed", "c1", 1_000 + i);
    }

    tick(List.of(auto("f", 2), fixed), List.of(C1), 2_000);

    assertThat(sent).as("8 members, 7 held by the fixed prewarm").containsExactly("c1:f@2=1/e7");
  }

  @Test
  void tick_aNewLeaderKeepsThePreviousTermsTargets_aCreationDoesNotShrinkThem_andTheyAgeOutWithoutCreations() {
    // A failover: the workers still hold and report what the old leader told them; this sizer's log is empty.
    pools.put("f", List.of(new FunctionStatus.Pool("c1", "f", 2, 3, 3, 0, 0, null, 400_000),
        new FunctionStatus.Pool("c2", "f", 2, 3, 3, 0, 0, null, 400_000),
        new FunctionStatus.Pool("c2", "f", 1, 9, 0, 0, 0, null, 400_000))); // an older revision's: not counted

    tick(List.of(auto("f", 2)), List.of(C1, C2), 1_000_000);
    assertThat(sent).containsExactlyInAnyOrder("c1:f@2=3/e7", "c2:f@2=3/e7");

    sent.clear();
    sizer.created("f", "c1", 1_000_200); // alone, it would call for none
    tick(List.of(auto("f", 2)), List.of(C1, C2), 1_000_500);
    assertThat(sent).isEmpty();

    tick(List.of(auto("f", 2)), List.of(C1, C2), 1_000_200 + WINDOW);
    assertThat(sent).containsExactlyInAnyOrder("c1:f@2=0/e7", "c2:f@2=0/e7");
  }

  @Test
  void tick_theTargetsThisSizerSetAreNotTakenOverAsAPreviousTerms() {
    for (int i = 0; i < 100; i++) {
      sizer.created("f", i % 2 == 0 ? "c1" : "c2", 1_000 + i); // 5/s each, the 0.5 s guessed refill: 5 with the margin
    }
    tick(List.of(auto("f", 2)), List.of(C1, C2), 2_000);
    assertThat(sent).containsExactlyInAnyOrder("c1:f@2=5/e7", "c2:f@2=5/e7");
    sent.clear();

    pools.put("f", List.of(new FunctionStatus.Pool("c1", "f", 2, 5, 5, 0, 0, null, 500_000),
        new FunctionStatus.Pool("c2", "f", 2, 5, 5, 0, 0, null, 500_000)));
    sizer.workerJoined("c1"); // registered again, its pools intact
    tick(List.of(auto("f", 2)), List.of(C1, C2), 3_000);

    assertThat(sent).as("told its own target again, not doubled").containsExactly("c1:f@2=5/e7");
  }

  @Test
  void tick_aFunctionThatStopsScalingOut_hasItsPoolsDrainedWithinASixthOfItsKeepAlive() {
    FunctionRecord f = auto("f", 2, 6); // a 6 s keep-alive, as the trace replay's compressed minute gives: a 1 s window
    pools.put("f", List.of(new FunctionStatus.Pool("c1", "f", 2, 0, 0, 0, 0, null, 150_000)));
    sizer.created("f", "c1", 1_000);
    tick(List.of(f), List.of(C1), 1_050);
    assertThat(sent).as("a lone creation: the function only woke").isEmpty();

    sizer.created("f", "c1", 1_100);
    tick(List.of(f), List.of(C1), 1_500);
    assertThat(sent).containsExactly("c1:f@2=1/e7");

    sent.clear();
    tick(List.of(f), List.of(C1), 1_999);
    assertThat(sent).as("both still within the window").isEmpty();
    tick(List.of(f), List.of(C1), 2_000);
    assertThat(sent).as("one left: no longer scaling out").containsExactly("c1:f@2=0/e7");
  }

  @Test
  void tick_theMembersGoWhereTheCreationsLand_andDecayThereAsTheBurstAgesOut() {
    for (int i = 0; i < 50; i++) {
      sizer.created("f", "c1", 1_000 + i); // 5/s over the window on c1; 0.4 s refill: 4 with the margin
    }
    pools.put("f", List.of(new FunctionStatus.Pool("c1", "f", 2, 0, 0, 0, 0, null, 400_000)));

    tick(List.of(auto("f", 2)), List.of(C1, C2), 2_000);
    assertThat(sent).as("nothing for c2, where no creation landed").containsExactly("c1:f@2=4/e7");

    sent.clear();
    sizer.created("f", "c1", 9_000);
    sizer.created("f", "c1", 9_001);
    tick(List.of(auto("f", 2)), List.of(C1, C2), 11_100);
    assertThat(sent).as("the burst aged out: 2 in the window").containsExactly("c1:f@2=1/e7");
  }

  @Test
  void tick_aNewLeaderKeepsEachWorkersTarget_notTheirSumSpreadEvenly() {
    pools.put("f", List.of(new FunctionStatus.Pool("c1", "f", 2, 3, 3, 0, 0, null, 400_000),
        new FunctionStatus.Pool("c2", "f", 2, 1, 1, 0, 0, null, 400_000)));

    tick(List.of(auto("f", 2)), List.of(C1, C2), 1_000_000);

    assertThat(sent).containsExactlyInAnyOrder("c1:f@2=3/e7", "c2:f@2=1/e7");
  }

  @Test
  void refillSeconds_theSlowestWorkersRefillOfTheRevision_elseTheCreationTime_elseAGuess() {
    FunctionRecord f = auto("f", 2);
    List<FunctionStatus.Pool> reported = List.of(new FunctionStatus.Pool("c1", "f", 2, 1, 1, 0, 0, null, 200_000),
        new FunctionStatus.Pool("c2", "f", 2, 1, 1, 0, 0, null, 300_000),
        new FunctionStatus.Pool("c2", "f", 1, 1, 1, 0, 0, null, 900_000));

    assertThat(AutoPoolSizer.refillSeconds(f, reported, 0.1)).isEqualTo(0.3);
    assertThat(AutoPoolSizer.refillSeconds(f, List.of(), 0.1)).isEqualTo(0.1);
    assertThat(AutoPoolSizer.refillSeconds(f, List.of(), Double.NaN)).isEqualTo(AutoPoolSizer.UNKNOWN_REFILL_SECONDS);
  }
}
