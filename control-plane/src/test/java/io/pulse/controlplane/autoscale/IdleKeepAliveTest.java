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

  @ParameterizedTest(name = "gaps {0} -> kept until {1}, back at {2}, until {3} ms")
  @CsvSource(delimiter = ';', value = {
      // shortest 180 s: back at 135 s, 75 s after the 60 s keep-alive; held to 1.5 x 200 s
      "'200000 180000 200000';  60000;  135000; 300000",
      // shortest 150 s: back at 112.5 s, only 52.5 s after the keep-alive: not worth a creation, held throughout
      "'150000 180000';         270000; 270000; 270000",
      // no hold, nothing to release
      "'90000 900000';          60000;  60000;  60000",
      "'';                      60000;  60000;  60000",
  })
  void release(String gaps, long releaseAt, long backAt, long until) {
    long[] millis = gaps.isBlank() ? new long[0]
        : Arrays.stream(gaps.trim().split("\\s+")).mapToLong(Long::parseLong).toArray();
    IdleKeepAlive.Hold hold = new IdleKeepAlive(5, true).hold(KEEP_ALIVE, IdleGaps.of(millis));
    assertThat(hold).isEqualTo(new IdleKeepAlive.Hold(releaseAt, backAt, until));
    assertThat(new IdleKeepAlive(5).hold(KEEP_ALIVE, IdleGaps.of(millis)))
        .as("without release: one stretch, as long").isEqualTo(new IdleKeepAlive.Hold(until, until, until));
  }

  @Test
  void releasedHold_keepsAnInstanceBeforeTheReleaseAndFromItsReturn_andCoversEveryGapItBringsItBackFor() {
    SplittableRandom random = new SplittableRandom(23);
    for (int run = 0; run < 2_000; run++) {
      long keepAlive = random.nextLong(1_000, 120_000);
      IdleGaps gaps = IdleGaps.NONE;
      for (int i = random.nextInt(0, 12); i > 0; i--) {
        gaps = gaps.record(random.nextLong(0, keepAlive * 8));
      }
      IdleKeepAlive rule = new IdleKeepAlive(random.nextInt(1, 8), true);
      IdleKeepAlive.Hold hold = rule.hold(keepAlive, gaps);
      assertThat(hold.untilMillis()).isEqualTo(rule.millis(keepAlive, gaps));
      assertThat(hold.keeps(keepAlive - 1)).as("within the keep-alive").isTrue();
      assertThat(hold.keeps(hold.untilMillis())).isFalse();
      if (hold.releaseMillis() < hold.backMillis()) {
        assertThat(hold.releaseMillis()).isEqualTo(keepAlive);
        assertThat(hold.backMillis() - hold.releaseMillis()).as("released for a keep-alive at least")
            .isGreaterThanOrEqualTo(keepAlive);
        // back before every gap within reach ends, so those end on an instance
        assertThat(hold.backMillis()).isLessThan(gaps.shortestAtMost(keepAlive * rule.maxFactor()));
        assertThat(hold.keeps(hold.backMillis() - 1)).isFalse();
        assertThat(hold.bringsBack(hold.backMillis())).isTrue();
      } else {
        assertThat(hold.bringsBack(hold.releaseMillis())).isFalse();
      }
    }
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
