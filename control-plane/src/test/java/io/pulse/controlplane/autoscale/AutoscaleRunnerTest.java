package io.pulse.controlplane.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Counter;
import io.pulse.controlplane.load.LoadTotal;
import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.registry.FunctionSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The runner with a fake decider and a manual clock: what it feeds the decider and what it does with the answer. */
class AutoscaleRunnerTest {

  private final List<ScaleInput> inputs = new ArrayList<>();
  private ScaleDecision next = ScaleDecision.NONE;
  private final Map<String, Integer> instances = new HashMap<>();
  private final List<String> scaled = new ArrayList<>();
  private final Counter decisions = Counter.builder().name("test_decisions").labelNames("direction").build();

  private final ScaleTarget target = new ScaleTarget() {
    @Override
    public int readyInstances(String function) {
      return instances.getOrDefault(function, 0);
    }

    @Override
    public int instances(String function) {
      return instances.getOrDefault(function, 0);
    }

    @Override
    public void scale(String function, int desired) {
      scaled.add(function + "=" + desired);
    }
  };

  private final IdleGapStore store = IdleGapStore.inMemory();
  private final AutoscaleRunner runner = runner();

  /** A runner on this test's decider, target and store: a term of its own. */
  private AutoscaleRunner runner() {
    return new AutoscaleRunner((input, now) -> {
      inputs.add(input);
      return next;
    }, target, new KpaSettings(10_000, 10, 2, 1000, 2), decisions, store);
  }

  static FunctionRecord function(String name) {
    FunctionSpec spec = new FunctionSpec(name, null, List.of("run"), 0, Map.of(),
        new FunctionSpec.Resources(100, 64), new FunctionSpec.Scaling(0, 0, 1, 60), 30);
    return new FunctionRecord(spec, 1, Instant.EPOCH, Instant.EPOCH);
  }

  private static ScaleDecision scale(int desired) {
    return new ScaleDecision.Scale(desired, ScaleDecision.Reason.STABLE, PanicState.CALM, 0, 0);
  }

  @Test
  void tick_feedsObservedWindowAndActivity_andAppliesTheDecision() {
    runner.observe(function("f"), new LoadTotal(3, 2, 1, 5), 1_000);
    runner.observe(function("f"), new LoadTotal(5, 0, 0, 0), 1_500);
    next = scale(4);

    runner.tick(Map.of("f", function("f")), f -> new LoadTotal(5, 4, 0, 0), 2_000);

    ScaleInput input = inputs.get(0);
    assertThat(input.window().average(2_000, 10_000)).hasValue(4.0);
    assertThat(input.lastActiveMillis()).isEqualTo(1_000); // the 1.5 s report had no activity
    assertThat(input.demandNow()).isEqualTo(4);
    assertThat(scaled).containsExactly("f=4");
    assertThat(runner.desired()).containsEntry("f", 4);
    assertThat(decisions.labelValues("up").get()).isEqualTo(1.0);
  }

  @Test
  void quietSpellsLongerThanTheKeepAlive_areRecordedAsIdleGaps_andFedToTheDecider() {
    FunctionRecord f = function("f"); // keep-alive 60 s
    LoadTotal call = new LoadTotal(1, 1, 0, 1);
    runner.observe(f, call, 1_000); // the first activity ends no gap
    runner.observe(f, LoadTotal.ZERO, 2_000);
    runner.observe(f, call, 50_000); // 49 s: within the keep-alive, not a gap
    runner.observe(f, call, 50_500);
    runner.observe(f, LoadTotal.ZERO, 51_000);
    runner.observe(f, call, 140_500); // 90 s after the last activity
    runner.observe(f, call, 300_500); // 160 s

    runner.tick(Map.of("f", f), name -> LoadTotal.ZERO, 301_000);

    IdleGaps gaps = inputs.get(0).idleGaps();
    assertThat(gaps.size()).isEqualTo(2);
    assertThat(gaps.longestAtMost(100_000)).isEqualTo(90_000);
    assertThat(gaps.longestAtMost(Long.MAX_VALUE)).isEqualTo(160_000);
  }

  @Test
  void executionAndCreationTimes_reachTheDecider_andTheLastExecutionTimeOutlivesTheLoad() {
    runner.observe(function("f"), new LoadTotal(1, 1, 0, 1, 2_000_000), 1_000);
    runner.created("f", 100_000, 1_000);
    runner.created("f", 200_000, 1_200);
    // the function went quiet: its data planes report no load, hence no execution time
    runner.observe(function("f"), LoadTotal.ZERO, 2_000);
    runner.tick(Map.of("f", function("f")), f -> LoadTotal.ZERO, 2_000);

    ColdStartShare share = inputs.get(0).coldStart();
    assertThat(share.executionMicros()).isEqualTo(2_000_000);
    assertThat(share.creationMicros()).isEqualTo(130_000);
    assertThat(share.share()).isEqualTo(0.065);
    assertThat(runner.coldStart("f")).as("what the leader's view shows").isEqualTo(share);
    runner.forget("f");
    assertThat(runner.coldStart("f")).isEqualTo(ColdStartShare.UNKNOWN);
  }

  @Test
  void coldStartShare_startsUnknownInEachTerm() {
    runner.observe(function("f"), new LoadTotal(1, 1, 0, 1, 2_000_000), 1_000);
    runner.created("f", 100_000, 1_000);
    AutoscaleRunner next = runner();
    next.tick(Map.of("f", function("f")), f -> LoadTotal.ZERO, 2_000);
    assertThat(inputs.get(0).coldStart()).isEqualTo(ColdStartShare.UNKNOWN);
  }

  @Test
  void noDecision_keepsWhatRuns() {
    instances.put("f", 3);
    runner.tick(Map.of("f", function("f")), f -> LoadTotal.ZERO, 0);

    assertThat(scaled).containsExactly("f=3");
    assertThat(decisions.labelValues("none").get()).isEqualTo(1.0);
  }

  @Test
  void firstSight_withRunningInstances_getsKeepAliveGrace() {
    instances.put("f", 2);
    runner.tick(Map.of("f", function("f")), f -> LoadTotal.ZERO, 7_000);

    assertThat(inputs.get(0).lastActiveMillis()).isEqualTo(7_000);
  }

  @Test
  void noteActivity_marksTheFunctionInUse() {
    runner.tick(Map.of("f", function("f")), f -> LoadTotal.ZERO, 0);
    assertThat(inputs.get(0).lastActiveMillis()).isEqualTo(ScaleInput.NEVER);

    runner.noteActivity("f", 9_000);
    runner.tick(Map.of("f", function("f")), f -> LoadTotal.ZERO, 9_500);

    assertThat(inputs.get(1).lastActiveMillis()).isEqualTo(9_000);
  }

  @Test
  void panicState_isCarriedToTheNextDecision() {
    PanicState panic = new PanicState(true, 1_000, 7);
    next = new ScaleDecision.Scale(7, ScaleDecision.Reason.PANIC, panic, 0, 0);
    runner.tick(Map.of("f", function("f")), f -> LoadTotal.ZERO, 1_000);
    runner.tick(Map.of("f", function("f")), f -> LoadTotal.ZERO, 2_000);

    assertThat(inputs.get(1).panic()).isEqualTo(panic);
  }

  @Test
  void needsImmediateDecision_onlyForQueuedRequestsAndNoInstance() {
    assertThat(runner.needsImmediateDecision("f", new LoadTotal(1, 0, 1, 1))).isTrue();
    assertThat(runner.needsImmediateDecision("f", new LoadTotal(1, 1, 0, 1))).isFalse();
    instances.put("f", 1);
    assertThat(runner.needsImmediateDecision("f", new LoadTotal(1, 0, 1, 1))).isFalse();
  }

  @Test
  void tick_forgetsDeletedFunctions() {
    next = scale(1);
    runner.tick(Map.of("f", function("f"), "g", function("g")), f -> LoadTotal.ZERO, 0);
    runner.tick(Map.of("g", function("g")), f -> LoadTotal.ZERO, 1);

    assertThat(runner.desired()).containsOnlyKeys("g");
  }

  @Test
  void idleGaps_outliveTheTerm_theNextRunnerStartsFromThoseTheStoreKept() {
    FunctionRecord f = function("f"); // keep-alive 60 s
    LoadTotal call = new LoadTotal(1, 1, 0, 1);
    runner.observe(f, call, 0);
    runner.observe(f, call, 90_000);
    runner.observe(f, call, 200_000);
    assertThat(store.gaps("f")).isEqualTo(IdleGaps.of(90_000, 110_000));

    AutoscaleRunner nextTerm = runner();
    nextTerm.tick(Map.of("f", f), name -> LoadTotal.ZERO, 250_000);
    assertThat(inputs.getLast().idleGaps()).as("the new term's first decision").isEqualTo(IdleGaps.of(90_000, 110_000));

    nextTerm.observe(f, call, 260_000); // this term saw no activity before: no gap
    nextTerm.observe(f, call, 400_000);
    assertThat(store.gaps("f")).isEqualTo(IdleGaps.of(90_000, 110_000, 140_000));
  }

  @Test
  void idleGaps_goWithADeletion_notWithAFunctionMissingFromOneSnapshot() {
    FunctionRecord f = function("f");
    LoadTotal call = new LoadTotal(1, 1, 0, 1);
    runner.observe(f, call, 0);
    runner.observe(f, call, 90_000);

    runner.tick(Map.of(), name -> LoadTotal.ZERO, 91_000);
    assertThat(store.gaps("f")).isEqualTo(IdleGaps.of(90_000));

    runner.forget("f");
    assertThat(store.gaps("f")).isEqualTo(IdleGaps.NONE);
  }
}
