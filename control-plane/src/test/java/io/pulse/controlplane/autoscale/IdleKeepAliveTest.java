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
