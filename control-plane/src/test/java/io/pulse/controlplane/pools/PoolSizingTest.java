package io.pulse.controlplane.pools;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.controlplane.pools.PoolSizing.Budget;
import io.pulse.controlplane.pools.PoolSizing.Demand;
import io.pulse.controlplane.pools.PoolSizing.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class PoolSizingTest {

  private static final Settings SETTINGS = new Settings(2.0, 64);
  private static final Budget ROOMY = new Budget("w1", 64, 65_536);

  /** {@code perSecond} creations on w1 within a 1 s window. */
  private static Demand demand(String function, double perSecond, double refillSeconds, int memoryMiB) {
    return new Demand(function, perSecond > 0 ? Map.of("w1", perSecond) : Map.of(), 1, refillSeconds, memoryMiB);
  }

  @Test
  void targets_areLittlesLawTimesTheMargin_onTheWorkerWhereTheCreationsLand() {
    // 10 creations/s on w1, 0.3 s to refill: 3 members refilling on average, 6 with the margin; none landed on w2.
    Map<String, Map<String, Integer>> targets = PoolSizing.targets(List.of(new Demand("f", Map.of("w1", 10.0), 1, 0.3,
        64)), List.of(ROOMY, new Budget("w2", 64, 65_536)), SETTINGS);

    assertThat(targets).isEqualTo(Map.of("w1", Map.of("f", 6), "w2", Map.of("f", 0)));
  }

  @Test
  void targets_creationsOnAWorkerWithoutPools_areSharedOutOverThePoolingOnes() {
    Map<String, Map<String, Integer>> targets = PoolSizing.targets(
        List.of(new Demand("f", Map.of("process-worker", 10.0, "w2", 5.0), 1, 0.3, 64)),
        List.of(ROOMY, new Budget("w2", 64, 65_536)), SETTINGS);

    assertThat(targets).isEqualTo(Map.of("w1", Map.of("f", 3), "w2", Map.of("f", 6)));
  }

  @Test
  void targets_aLoneCreationGetsNoPool_aSecondWithinTheWindowOneMember_andEveryWorkerHearsOfAll() {
    Map<String, Map<String, Integer>> targets = PoolSizing.targets(
        List.of(new Demand("woke", Map.of("w1", 1.0), 10, 0.15, 64),
            new Demand("scaling", Map.of("w1", 2.0), 10, 0.15, 64), demand("idle", 0, 0.15, 64)),
        List.of(ROOMY, new Budget("w2", 0, 0)), SETTINGS);

    assertThat(targets.get("w1")).isEqualTo(Map.of("woke", 0, "scaling", 1, "idle", 0));
    assertThat(targets.get("w2")).as("no budget, nothing to hold").isEqualTo(Map.of("woke", 0, "scaling", 0,
        "idle", 0));
  }

  @Test
  void targets_theBurstIsTheFunctions_soTwoCreationsOnTwoWorkersGiveEachOfThemAMember() {
    Map<String, Map<String, Integer>> targets = PoolSizing.targets(
        List.of(new Demand("f", Map.of("w1", 1.0, "w2", 1.0), 10, 0.15, 64)),
        List.of(ROOMY, new Budget("w2", 64, 65_536), new Budget("w3", 64, 65_536)), SETTINGS);

    assertThat(targets).isEqualTo(Map.of("w1", Map.of("f", 1), "w2", Map.of("f", 1), "w3", Map.of("f", 0)));
  }

  @Test
  void targets_aTightBudgetIsSharedOneMemberAtATime_theMostCreatedFirst() {
    Map<String, Map<String, Integer>> targets = PoolSizing.targets(
        List.of(demand("slow", 5, 1, 64), demand("busy", 50, 1, 64)), List.of(new Budget("w1", 3, 65_536)),
        SETTINGS);

    assertThat(targets.get("w1")).isEqualTo(Map.of("busy", 2, "slow", 1));
  }

  @Test
  void targets_aMemberThatDoesNotFitTheMemoryLeftLeavesRoomForSmallerOnes() {
    Map<String, Map<String, Integer>> targets = PoolSizing.targets(
        List.of(demand("big", 50, 1, 512), demand("small", 2, 1, 64)), List.of(new Budget("w1", 8, 600)),
        SETTINGS);

    assertThat(targets.get("w1")).isEqualTo(Map.of("big", 1, "small", 1));
  }

  @Test
  void targets_neverAboveThePerWorkerBound() {
    assertThat(PoolSizing.targets(List.of(demand("f", 10_000, 10, 1)), List.of(ROOMY), new Settings(2, 5)))
        .isEqualTo(Map.of("w1", Map.of("f", 5)));
  }

  @Property(tries = 300)
  void targets_neverExceedAWorkersBudget_norWhatTheFunctionWantsThere(
      @ForAll @Size(max = 6) List<@DoubleRange(min = 0, max = 100) Double> rates,
      @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = 20) Integer> members,
      @ForAll @IntRange(min = 0, max = 4096) int memoryMiB, @ForAll @IntRange(min = 1, max = 512) int memberMiB,
      @ForAll @DoubleRange(min = 0.01, max = 3) double refillSeconds) {
    List<Demand> demands = new ArrayList<>();
    for (int i = 0; i < rates.size(); i++) {
      // Landing on one worker (maybe one without pools), then the next, then on none.
      Map<String, Double> landed = i % 3 == 2 ? Map.of() : Map.of("w" + (i % 5), rates.get(i));
      demands.add(new Demand("f" + i, landed, 1, refillSeconds, memberMiB * (i % 2 + 1)));
    }
    List<Budget> budgets = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      budgets.add(new Budget("w" + i, members.get(i), memoryMiB));
    }
    java.util.Set<String> pooling = new java.util.HashSet<>();
    budgets.stream().filter(b -> b.members() > 0).forEach(b -> pooling.add(b.workerId()));

    Map<String, Map<String, Integer>> targets = PoolSizing.targets(demands, budgets, SETTINGS);

    assertThat(targets.keySet()).hasSize(budgets.size());
    for (Budget budget : budgets) {
      Map<String, Integer> onWorker = targets.get(budget.workerId());
      assertThat(onWorker.keySet()).hasSize(demands.size());
      int held = 0;
      long heldMiB = 0;
      for (Demand demand : demands) {
        int target = onWorker.get(demand.function());
        int wanted = pooling.contains(budget.workerId()) && demand.total() >= PoolSizing.BURST
            ? PoolSizing.members(PoolSizing.landing(demand, budget.workerId(), pooling), refillSeconds, SETTINGS) : 0;
        assertThat(target).isBetween(0, wanted);
        if (demand.total() < PoolSizing.BURST) {
          assertThat(target).as("a function not scaling out holds nothing").isZero();
        }
        held += target;
        heldMiB += (long) target * demand.memoryMiB();
      }
      assertThat(held).isLessThanOrEqualTo(budget.members());
      assertThat(heldMiB).isLessThanOrEqualTo(budget.memoryMiB());
    }
  }

  @Property(tries = 300)
  void creationsPerSecond_isTheRateForWhichAWorkerGetsExactlyThatManyMembers(@ForAll @IntRange(min = 0, max = 64)
      int members, @ForAll @DoubleRange(min = 0.001, max = 60) @Scale(3) double refillSeconds) {
    double rate = PoolSizing.creationsPerSecond(members, refillSeconds, Settings.DEFAULTS);

    assertThat(PoolSizing.members(rate, refillSeconds, Settings.DEFAULTS)).isEqualTo(members);
  }
}
