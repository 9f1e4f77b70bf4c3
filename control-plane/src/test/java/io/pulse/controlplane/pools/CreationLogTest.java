package io.pulse.controlplane.pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CreationLogTest {

  private final CreationLog log = new CreationLog(600_000, 10_000);

  @Test
  void perSecond_isTheLongWindowsMean_forAFunctionCreatedNowAndThen() {
    for (long t = 0; t < 600_000; t += 120_000) {
      log.created("f", t);
    }

    assertThat(log.perSecond("f", 590_000)).isCloseTo(5.0 / 600, within(1e-9));
  }

  @Test
  void perSecond_aBurstCountsAtTheShortWindowsRate_thenFadesToTheLongOne() {
    for (int i = 0; i < 20; i++) {
      log.created("f", 100_000 + i);
    }

    assertThat(log.perSecond("f", 105_000)).isCloseTo(2.0, within(1e-9));
    assertThat(log.perSecond("f", 111_000)).isCloseTo(20.0 / 600, within(1e-9));
    assertThat(log.perSecond("f", 700_020)).as("out of the window").isZero();
    assertThat(log.perSecond("never", 0)).isZero();
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
    log.created("kept", 1_000);
    log.created("other", 1_000);
    log.ready("other", 0.1);

    log.retain(java.util.Set.of("kept"));

    assertThat(log.perSecond("kept", 2_000)).isPositive();
    assertThat(log.perSecond("other", 2_000)).isZero();
    assertThat(log.creationSeconds("other")).isNaN();
  }

  @Test
  void restore_aPreviousTermsRateCountsAsCreationsEvenlyOverTheWindowBefore_andAgesOutOverTheWindow() {
    log.restore("f", 2.0, 1_000_000);

    assertThat(log.perSecond("f", 1_000_000)).isCloseTo(2.0, within(1e-9));
    assertThat(log.perSecond("f", 1_300_000)).as("half of it out of the window").isCloseTo(1.0, within(1e-9));
    log.created("f", 1_300_000);
    assertThat(log.perSecond("f", 1_300_000)).as("a creation of this term counts on top")
        .isCloseTo(1.0 + 1.0 / 600, within(1e-9));
    assertThat(log.perSecond("f", 1_600_000)).as("only this term's creation is left")
        .isCloseTo(1.0 / 600, within(1e-9));
    assertThat(log.perSecond("f", 1_900_000)).isZero();
  }
}
