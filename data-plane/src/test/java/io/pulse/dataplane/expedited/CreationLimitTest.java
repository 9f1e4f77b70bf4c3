package io.pulse.dataplane.expedited;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The per-worker creation limit, driven by simulated creation times (no clock). */
class CreationLimitTest {

  private static final int MAX = 8;
  private static final long BASE_NANOS = 100_000_000;

  @Test
  void unmeasuredWorker_hasTheFixedCap() {
    assertThat(new CreationLimit(MAX).limit("w-1")).isEqualTo(MAX);
  }

  @Test
  void creationTimesThatDoNotGrowWithConcurrency_neverLimit() {
    CreationLimit limit = new CreationLimit(MAX);
    Random random = new Random(7);
    int lowest = MAX;
    for (int i = 0; i < 10_000; i++) {
      // lognormal jitter around the base, as the fake runtime's default (sigma 0.3)
      limit.measured("w-1", Math.round(BASE_NANOS * Math.exp(0.3 * random.nextGaussian())), i % 2 == 0);
      lowest = Math.min(lowest, limit.limit("w-1"));
    }
    assertThat(lowest).isEqualTo(MAX);
  }

  /**
   * A host where every creation at once slows the others (each one more adds half the base time): demand ramps up to
   * 20 creations at once and the limit settles where creations take about the tolerance times the unloaded time.
   */
  @Test
  void creationTimesThatGrowWithConcurrency_settleNearTheTolerance() {
    CreationLimit limit = new CreationLimit(MAX);
    long last = 0;
    for (int i = 0; i < 2_000; i++) {
      int demand = Math.min(20, 1 + i / 10);
      int running = Math.min(demand, limit.limit("w-1"));
      last = Math.round(BASE_NANOS * (1 + 0.5 * (running - 1)));
      limit.measured("w-1", last, running == 1);
    }
    assertThat(limit.limit("w-1")).isBetween(2, 4);
    assertThat((double) last / BASE_NANOS).isLessThanOrEqualTo(CreationLimit.TOLERANCE + 0.5);
  }

  @Test
  void limitComesBack_onceCreationsAreFastAgain() {
    CreationLimit limit = new CreationLimit(MAX);
    limit.measured("w-1", BASE_NANOS, true);
    for (int i = 0; i < 50; i++) {
      limit.measured("w-1", 6 * BASE_NANOS, false); // a busy spell of ours at once
    }
    assertThat(limit.limit("w-1")).isLessThanOrEqualTo(3);
    for (int i = 0; i < 200; i++) {
      limit.measured("w-1", BASE_NANOS, false);
    }
    assertThat(limit.limit("w-1")).isEqualTo(MAX);
    assertThat(limit.limit("w-2")).as("per worker").isEqualTo(MAX);
  }

  @Test
  void aHostSlowerForReasonsOfItsOwn_isRebasedByCreationsThatRanAlone() {
    CreationLimit limit = new CreationLimit(MAX);
    limit.measured("w-1", BASE_NANOS, true);
    for (int i = 0; i < 200; i++) {
      // four times slower, alone as much as not: our own concurrency is not the cause
      limit.measured("w-1", 4 * BASE_NANOS, i % 2 == 0);
    }
    assertThat(limit.limit("w-1")).isEqualTo(MAX);
  }
}
