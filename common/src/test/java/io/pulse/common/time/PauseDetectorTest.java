package io.pulse.common.time;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PauseDetectorTest {

  private final PauseDetector detector = new PauseDetector(2_000);

  @Test
  void observe_aGapBeyondTheBound_isAPauseOfThatLength() {
    assertThat(detector.observe(1_000)).as("the first call has nothing to measure from").isZero();
    assertThat(detector.observe(3_000)).as("exactly the bound").isZero();
    assertThat(detector.observe(5_001)).isEqualTo(2_001);
    assertThat(detector.observe(5_250)).isZero();
  }

  @Test
  void observe_aClockStepBack_isNoPause_andTheNextGapCountsFromTheLatestTimeSeen() {
    detector.observe(10_000);
    assertThat(detector.observe(4_000)).isZero();
    assertThat(detector.observe(11_000)).as("1 s after 10,000, not 7 s after 4,000").isZero();
  }
}
