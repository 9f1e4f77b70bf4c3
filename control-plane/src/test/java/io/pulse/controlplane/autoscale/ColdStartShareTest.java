package io.pulse.controlplane.autoscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ColdStartShareTest {

  @Test
  void unknownUntilBothHalvesAreMeasured() {
    assertThat(ColdStartShare.UNKNOWN.known()).isFalse();
    assertThat(ColdStartShare.UNKNOWN.withExecution(400_000).known()).isFalse();
    assertThat(ColdStartShare.UNKNOWN.withCreation(120_000).known()).isFalse();
    ColdStartShare both = ColdStartShare.UNKNOWN.withExecution(400_000).withCreation(120_000);
    assertThat(both.known()).isTrue();
    assertThat(both.share()).isEqualTo(0.3);
  }

  @Test
  void anExecutionTimeOfZero_keepsTheLastOneKnown() {
    // an idle function's data planes report nothing, or 0 after a restart: what was measured still holds
    ColdStartShare measured = ColdStartShare.UNKNOWN.withExecution(50_000);
    assertThat(measured.withExecution(0)).isSameAs(measured);
    assertThat(measured.withExecution(80_000).executionMicros()).isEqualTo(80_000);
  }

  @Test
  void creationTimes_areAMovingAverage_thatFollowsTheNewest() {
    ColdStartShare share = ColdStartShare.UNKNOWN.withCreation(100_000);
    assertThat(share.creationMicros()).isEqualTo(100_000);
    share = share.withCreation(200_000); // 100 + 0.3 x 100
    assertThat(share.creationMicros()).isEqualTo(130_000);
    for (int i = 0; i < 40; i++) {
      share = share.withCreation(200_000);
    }
    assertThat(share.creationMicros()).isBetween(199_000L, 200_000L);
    assertThat(share.withCreation(0)).isSameAs(share); // an untimed creation says nothing
  }

  @Test
  void negativeTimes_areRefused() {
    assertThatThrownBy(() -> new ColdStartShare(-1, 0)).hasMessageContaining("must be >= 0");
  }
}
