package io.pulse.controlplane.autoscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IdleKeepAliveTest {

  private static final long KEEP_ALIVE = 60_000;
  private final IdleKeepAlive rule = new IdleKeepAlive(5);

  @ParameterizedTest(name = "gaps {0} -> hold {1} ms")
  @CsvSource(delimiter = ';', value = {
      // fewer than two gaps: the history is not trusted yet
      "'';                      60000",
      "'90000';                 60000",
      // most within five keep-alives (300 s): 1.5 x the longest of those
      "'90000 100000';          150000",
      "'90000 100000 900000';   150000",
      // capped at five keep-alives
      "'250000 280000';         300000",
      // half or more beyond reach: holding would mostly be wasted
      "'90000 900000';          60000",
      "'90000 900000 800000';   60000",
      // gaps just over the keep-alive never hold for less than the keep-alive
      "'30000 35000';           60000",
  })
  void hold(String gaps, long expected) {
    long[] millis = gaps.isBlank() ? new long[0]
        : Arrays.stream(gaps.trim().split("\\s+")).mapToLong(Long::parseLong).toArray();
    assertThat(rule.millis(KEEP_ALIVE, IdleGaps.of(millis))).isEqualTo(expected);
  }

  @Test
  void factorOne_isTheFixedKeepAlive() {
    assertThat(IdleKeepAlive.FIXED.millis(KEEP_ALIVE, IdleGaps.of(90_000, 100_000))).isEqualTo(KEEP_ALIVE);
  }

  @Test
  void holdIsAlwaysBetweenTheKeepAliveAndItsMultiple_andCoversMostGapsWhenItGrows() {
    SplittableRandom random = new SplittableRandom(17);
    for (int run = 0; run < 2_000; run++) {
      int factor = random.nextInt(1, 12);
      long keepAlive = random.nextLong(1_000, 120_000);
      IdleGaps gaps = IdleGaps.NONE;
      for (int i = random.nextInt(0, 12); i > 0; i--) {
        gaps = gaps.record(random.nextLong(0, keepAlive * 15));
      }
      long hold = new IdleKeepAlive(factor).millis(keepAlive, gaps);
      assertThat(hold).isBetween(keepAlive, keepAlive * factor);
      if (hold > keepAlive) {
        // it grew only on a trusted history whose majority ends within reach, and it covers the longest of those
        assertThat(gaps.size()).isGreaterThanOrEqualTo(IdleKeepAlive.MIN_GAPS);
        assertThat(2 * gaps.atMost(keepAlive * factor)).isGreaterThan(gaps.size());
        assertThat(hold).isGreaterThanOrEqualTo(gaps.longestAtMost(keepAlive * factor));
      }
    }
  }

  @Test
  void factorOutOfRange_isRefused() {
    assertThatThrownBy(() -> new IdleKeepAlive(0)).hasMessageContaining("1..100, was 0");
    assertThatThrownBy(() -> new IdleKeepAlive(5, -0.1)).hasMessageContaining("0..100, was -0.1");
    assertThatThrownBy(() -> new IdleKeepAlive(5, Double.NaN)).hasMessageContaining("0..100, was NaN");
  }

  @ParameterizedTest(name = "creation {0} us, call {1} us, least share {2} -> hold {3} ms")
  @CsvSource({
      // a 120 ms cold start on a 100 ms call more than doubles it: held
      "120000, 100000,  0.3, 150000",
      // exactly at the threshold: held
      "120000, 400000,  0.3, 150000",
      // on a 2 s call it adds 6 %: withheld, the fixed keep-alive
      "120000, 2000000, 0.3, 60000",
      // not measured yet (either half): held, as without the rule
      "0,      2000000, 0.3, 150000",
      "120000, 0,       0.3, 150000",
      // a least share of 0: held whatever the call
      "120000, 2000000, 0,   150000",
  })
  void hold_weighsTheColdStartAgainstTheCall(long creationMicros, long executionMicros, double minShare,
      long expected) {
    IdleGaps gaps = IdleGaps.of(90_000, 100_000);
    ColdStartShare share = new ColdStartShare(executionMicros, creationMicros);
    assertThat(new IdleKeepAlive(5, minShare).millis(KEEP_ALIVE, gaps, share, 0)).isEqualTo(expected);
  }

  @Test
  void withoutAShare_theRuleIsTheGapsAlone() {
    IdleKeepAlive weighed = new IdleKeepAlive(5, 0.3);
    IdleGaps gaps = IdleGaps.of(90_000, 100_000);
    assertThat(weighed.millis(KEEP_ALIVE, gaps)).isEqualTo(rule.millis(KEEP_ALIVE, gaps)).isEqualTo(150_000);
  }

  @ParameterizedTest(name = "{0} MiB, budget {1} MiB -> hold {2} ms")
  @CsvSource({
      // gaps of 90 and 100 s, keep-alive 60 s: 150 s unpriced. A 16 MiB function: 8 keep-alives affordable, held.
      "16,  128, 150000",
      // 128 MiB: one keep-alive more; the gaps still fit within 120 s, so held that long
      "128, 128, 120000",
      // 157 MiB: 128/157 of a keep-alive more (48,917 ms)
      "157, 128, 108917",
      // 512 MiB: a quarter keep-alive more; both gaps outlast 75 s, so holding would mostly be wasted
      "512, 128, 60000",
      // unknown memory, or no budget: not priced
      "0,   128, 150000",
      "512, 0,   150000",
  })
  void hold_isPricedByMemory(int memoryMiB, int budgetMiB, long expected) {
    IdleGaps gaps = IdleGaps.of(90_000, 100_000);
    assertThat(new IdleKeepAlive(5, 0, budgetMiB).millis(KEEP_ALIVE, gaps, ColdStartShare.UNKNOWN, memoryMiB))
        .isEqualTo(expected);
  }

  @Test
  void budget_neverLengthensAHold_andANegativeOneIsRefused() {
    SplittableRandom random = new SplittableRandom(23);
    for (int run = 0; run < 2_000; run++) {
      long keepAlive = random.nextLong(1_000, 120_000);
      IdleGaps gaps = IdleGaps.NONE;
      for (int i = random.nextInt(0, 12); i > 0; i--) {
        gaps = gaps.record(random.nextLong(0, keepAlive * 8));
      }
      int memory = random.nextInt(0, 1_024);
      int budget = random.nextInt(0, 512);
      long priced = new IdleKeepAlive(5, 0, budget).millis(keepAlive, gaps, ColdStartShare.UNKNOWN, memory);
      assertThat(priced).isBetween(keepAlive, rule.millis(keepAlive, gaps));
      if (budget > 0 && memory > 0) {
        assertThat(priced - keepAlive).isLessThanOrEqualTo(keepAlive * budget / memory);
      }
    }
    assertThatThrownBy(() -> new IdleKeepAlive(5, 0, -1)).hasMessageContaining("memory budget must be >= 0 MiB");
  }

  @Test
  void gaps_keepTheMostRecentOnly() {
    IdleGaps gaps = IdleGaps.NONE;
    for (int i = 1; i <= IdleGaps.KEPT + 3; i++) {
      gaps = gaps.record(i * 1_000L);
    }
    assertThat(gaps.size()).isEqualTo(IdleGaps.KEPT);
    assertThat(gaps.atMost(3_000)).isZero(); // the three oldest are gone
    assertThat(gaps.longestAtMost(Long.MAX_VALUE)).isEqualTo((IdleGaps.KEPT + 3) * 1_000L);
    assertThatThrownBy(() -> IdleGaps.NONE.record(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
