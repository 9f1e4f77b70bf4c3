package io.pulse.controlplane.pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CreationLogTest {

  /** A function's keep-alive: the rate's window. */
  private static final long KEEP_ALIVE = 60_000;

  private final CreationLog log = new CreationLog(10_000);

  @Test
  void perSecond_isTheWindowsMean_forAFunctionCreatedNowAndThen() {
    for (long t = 0; t < 60_000; t += 20_000) {
      log.created("f", "w1", t);
    }

    assertThat(log.perSecond("f", KEEP_ALIVE, 59_000)).containsOnlyKeys("w1");
    assertThat(log.perSecond("f", KEEP_ALIVE, 59_000).get("w1")).isCloseTo(3.0 / 60, within(1e-9));
  }

  @Test
  void perSecond_aBurstCountsAtTheShortWindowsRate_thenFadesToTheLongOne_andToNothingAfterTheKeepAlive() {
    for (int i = 0; i < 20; i++) {
      log.created("f", "w1", 100_000 + i);
    }

    assertThat(log.perSecond("f", KEEP_ALIVE, 105_000).get("w1")).isCloseTo(2.0, within(1e-9));
    assertThat(log.perSecond("f", KEEP_ALIVE, 111_000).get("w1")).isCloseTo(20.0 / 60, within(1e-9));
    assertThat(log.perSecond("f", KEEP_ALIVE, 100_019 + KEEP_ALIVE)).as("idle for the keep-alive: no rate")
        .isEmpty();
    assertThat(log.perSecond("never", KEEP_ALIVE, 0)).isEmpty();
  }

  @Test
  void perSecond_aShortKeepAliveIsTheWindow_andBoundsTheBurstWindow() {
    log.created("f", "w1", 1_000);
    log.created("f", "w1", 2_000);

    assertThat(log.perSecond("f", 6_000, 2_000).get("w1")).as("2 in the 6 s window, which is also the burst's")
        .isCloseTo(2.0 / 6, within(1e-9));
    assertThat(log.perSecond("f", 6_000, 7_999).get("w1")).isCloseTo(1.0 / 6, within(1e-9));
    assertThat(log.perSecond("f", 6_000, 8_000)).isEmpty();
  }

  @Test
  void perSecond_isPerWorker_whereTheCreationsLanded() {
    log.created("f", "w1", 1_000);
    log.created("f", "w1", 1_500);
    log.created("f", "w2", 2_000);

    Map<String, Double> rates = log.perSecond("f", KEEP_ALIVE, 3_000);

    assertThat(rates).containsOnlyKeys("w1", "w2");
    assertThat(rates.get("w1")).isCloseTo(2.0 / 10, within(1e-9));
    assertThat(rates.get("w2")).isCloseTo(1.0 / 10, within(1e-9));
  }

  @Test
  void creationSeconds_isTheMeanOfTheRecentOnes() {
    assertThat(log.creationSeconds("f")).isNaN();
    for (int i = 0; i < CreationLog.TIMED; i++) {
      log.ready("f", 9.0);
    }
    for (int i = 0; i < CreationLog.TIMED; i++) {
      log.ready("f", i % 2 == 0 ? 0.1 : 0.3);
    }

    assertThat(log.creationSeconds("f")).isCloseTo(0.2, within(1e-9));
    log.forget("f");
    assertThat(log.creationSeconds("f")).isNaN();
  }

  @Test
  void retain_forgetsEveryOtherFunction() {
    log.created("kept", "w1", 1_000);
    log.created("other", "w1", 1_000);
    log.ready("other", 0.1);

    log.retain(java.util.Set.of("kept"));

    assertThat(log.perSecond("kept", KEEP_ALIVE, 2_000)).isNotEmpty();
    assertThat(log.perSecond("other", KEEP_ALIVE, 2_000)).isEmpty();
    assertThat(log.creationSeconds("other")).isNaN();
  }

  @Test
  void restore_aPreviousTermsRateCountsAsCreationsEvenlyOverTheWindowBefore_andAgesOutOverTheWindow() {
    log.restore("f", "w1", 2.0, 1_000_000);

    assertThat(log.perSecond("f", KEEP_ALIVE, 1_000_000).get("w1")).isCloseTo(2.0, within(1e-9));
    assertThat(log.perSecond("f", KEEP_ALIVE, 1_030_000).get("w1")).as("half of it out of the window")
        .isCloseTo(1.0, within(1e-9));
    log.created("f", "w1", 1_030_000);
    assertThat(log.perSecond("f", KEEP_ALIVE, 1_030_000).get("w1")).as("a creation of this term counts on top")
        .isCloseTo(1.0 + 1.0 / 60, within(1e-9));
    assertThat(log.perSecond("f", KEEP_ALIVE, 1_060_000).get("w1")).as("only this term's creation is left")
        .isCloseTo(1.0 / 60, within(1e-9));
    assertThat(log.perSecond("f", KEEP_ALIVE, 1_090_000)).isEmpty();
  }
}
