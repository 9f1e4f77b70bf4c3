package io.pulse.worker.sandbox.containerd.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RefillTest {

  private static final PoolKey A = new PoolKey("a", 1);
  private static final PoolKey B = new PoolKey("b", 1);

  @Test
  void plan_fillsEachPoolToItsTarget() {
    assertThat(Refill.plan(List.of(new Refill.View(A, 3, 64, 1, 0, 0, 0)), new PoolBudget(10, 1024), 0))
        .containsExactly(A, A);
  }

  @Test
  void plan_sharesATightBudgetAndNeverExceedsIt() {
    List<Refill.View> pools = List.of(new Refill.View(B, 5, 64, 0, 0, 0, 0), new Refill.View(A, 5, 64, 0, 0, 0, 0));

    assertThat(Refill.plan(pools, new PoolBudget(3, 1024), 0)).containsExactly(A, B, A);
    assertThat(Refill.plan(pools, new PoolBudget(10, 128), 0)).containsExactly(A, B);
  }

  @Test
  void plan_countsWhatIsHeldAgainstTheBudgetAndGivesRoomToThePoolHoldingFewest() {
    List<Refill.View> pools = List.of(new Refill.View(A, 2, 64, 1, 0, 0, 0), new Refill.View(B, 2, 64, 0, 0, 0, 0));

    assertThat(Refill.plan(pools, new PoolBudget(2, 1024), 0)).containsExactly(B);
    assertThat(Refill.plan(pools, new PoolBudget(1, 1024), 0)).isEmpty();
  }

  @Test
  void plan_skipsAPoolInBackoffUntilItsTime() {
    List<Refill.View> pools = List.of(new Refill.View(A, 1, 64, 0, 0, 0, 1_000));

    assertThat(Refill.plan(pools, new PoolBudget(10, 1024), 999)).isEmpty();
    assertThat(Refill.plan(pools, new PoolBudget(10, 1024), 1_000)).containsExactly(A);
  }

  @Test
  void plan_aFailingPoolTriesOneMemberAtATime() {
    assertThat(Refill.plan(List.of(new Refill.View(A, 3, 64, 0, 0, 2, 0)), new PoolBudget(10, 1024), 0))
        .containsExactly(A);
    assertThat(Refill.plan(List.of(new Refill.View(A, 3, 64, 1, 1, 2, 0)), new PoolBudget(10, 1024), 0))
        .isEmpty();
  }

  @Test
  void plan_noBudget_createsNothing() {
    assertThat(Refill.plan(List.of(new Refill.View(A, 1, 64, 0, 0, 0, 0)), PoolBudget.NONE, 0)).isEmpty();
  }

  @Test
  void retryDelay_doublesFromHalfASecondUpToAMinute() {
    assertThat(List.of(0, 1, 2, 3, 8, 50)).extracting(Refill::retryDelayMs)
        .containsExactly(0L, 500L, 1_000L, 2_000L, 60_000L, 60_000L);
  }
}
