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

  @Test
  void targets_areLittlesLawTimesTheMargin_sharedOutOverThePoolingWorkers() {
    // 10 creations/s, 0.3 s to refill: 3 members refilling on average, 6 with the margin, 3 on each of 2 workers.
    Map<String, Map<String, Integer>> targets = PoolSizing.targets(List.of(new Demand("f", 10, 0.3, 64)),
        List.of(ROOMY, new Budget("w2", 64, 65_536)), SETTINGS);

    assertThat(targets).isEqualTo(Map.of("w1", Map.of("f", 3), "w2", Map.of("f", 3)));
  }

  @Test
  void targets_aFunctionCreatedAtAllKeepsOneMember_oneNotCreatedNone_andEveryWorkerHearsOfBoth() {
    Map<String, Map<String, Integer>> targets = PoolSizing.targets(
        List.of(new Demand("rare", 1.0 / 300, 0.15, 64), new Demand("idle", 0, 0.15, 64)),
        List.of(ROOMY, new Budget("w2", 0, 0)), SETTINGS);

    assertThat(targets.get("w1")).isEqualTo(Map.of("rare", 1, "idle", 0));
    assertThat(targets.get("w2")).as("no budget, nothing to hold").isEqualTo(Map.of("rare", 0, "idle", 0));
  }

  @Test
  void targets_aTightBudgetIsSharedOneMemberAtATime_theMostCreatedFirst() {
    Map<String, Map<String, Integer>> targets = PoolSizing.targets(
        List.of(new Demand("slow", 5, 1, 64), new Demand("busy", 50, 1, 64)), List.of(new Budget("w1", 3, 65_536)),
        SETTINGS);

    assertThat(targets.get("w1")).isEqualTo(Map.of("busy", 2, "slow", 1));
  }

  @Test
  void targets_aMemberThatDoesNotFitTheMemoryLeftLeavesRoomForSmallerOnes() {
    Map<String, Map<String, Integer>> targets = PoolSizing.targets(
        List.of(new Demand("big", 50, 1, 512), new Demand("small", 1, 1, 64)), List.of(new Budget("w1", 8, 600)),
        SETTINGS);

    assertThat(targets.get("w1")).isEqualTo(Map.of("big", 1, "small", 1));
  }

  @Test
  void targets_neverAboveThePerWorkerBound() {
    assertThat(PoolSizing.targets(List.of(new Demand("f", 10_000, 10, 1)), List.of(ROOMY), new Settings(2, 5)))
        .isEqualTo(Map.of("w1", Map.of("f", 5)));
  }

  @Property(tries = 300)
  void targets_neverExceedAWorkersBudget_norWhatTheFunctionWants(
      @ForAll @Size(max = 6) List<@DoubleRange(min = 0, max = 100) Double> rates,
      @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = 20) Integer> members,
      @ForAll @IntRange(min = 0, max = 4096) int memoryMiB, @ForAll @IntRange(min = 1, max = 512) int memberMiB,
      @ForAll @DoubleRange(min = 0.01, max = 3) double refillSeconds) {
    List<Demand> demands = new ArrayList<>();
    for (int i = 0; i < rates.size(); i++) {
      demands.add(new Demand("f" + i, rates.get(i), refillSeconds, memberMiB * (i % 2 + 1)));
    }
    List<Budget> budgets = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      budgets.add(new Budget("w" + i, members.get(i), memoryMiB));
    }
    long pooling = budgets.stream().filter(b -> b.members() > 0).count();

    Map<String, Map<String, Integer>> targets = PoolSizing.targets(demands, budgets, SETTINGS);

    assertThat(targets.keySet()).hasSize(budgets.size());
    for (Budget budget : budgets) {
      Map<String, Integer> onWorker = targets.get(budget.workerId());
      assertThat(onWorker.keySet()).hasSize(demands.size());
      int held = 0;
      long heldMiB = 0;
      for (Demand demand : demands) {
        int target = onWorker.get(demand.function());
        long wanted = pooling == 0 ? 0 : (PoolSizing.clusterMembers(demand, SETTINGS) + pooling - 1) / pooling;
        assertThat(target).isBetween(0, (int) Math.min(64, wanted));
        held += target;
        heldMiB += (long) target * demand.memoryMiB();
      }
      assertThat(held).isLessThanOrEqualTo(budget.members());
      assertThat(heldMiB).isLessThanOrEqualTo(budget.memoryMiB());
    }
  }

  @Property(tries = 300)
  void creationsPerSecond_isTheRateForWhichTheClusterGetsExactlyThatManyMembers(@ForAll @IntRange(min = 0, max = 5_000)
      int members, @ForAll @DoubleRange(min = 0.001, max = 60) @Scale(3) double refillSeconds) {
    double rate = PoolSizing.creationsPerSecond(members, refillSeconds, Settings.DEFAULTS);

    assertThat(PoolSizing.clusterMembers(new Demand("f", rate, refillSeconds, 64), Settings.DEFAULTS))
        .isEqualTo(members);
  }
}
