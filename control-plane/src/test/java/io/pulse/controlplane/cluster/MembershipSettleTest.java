package io.pulse.controlplane.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MembershipSettleTest {

  private final MembershipSettle settle = new MembershipSettle(100);

  @Test
  void withoutAChange_aClaimNeedNotWait() {
    assertThat(settle.waitMillis(5_000)).isZero();
  }

  @Test
  void afterAChange_aClaimWaitsTheRestOfTheSettleTime() {
    settle.changed(1_000);

    assertThat(settle.waitMillis(1_000)).isEqualTo(100);
    assertThat(settle.waitMillis(1_030)).isEqualTo(70);
    assertThat(settle.waitMillis(1_100)).isZero();
    assertThat(settle.waitMillis(9_000)).isZero();
  }

  @Test
  void aLaterChange_startsTheWaitAgain() {
    settle.changed(1_000);
    settle.changed(1_090);

    assertThat(settle.waitMillis(1_100)).isEqualTo(90);
  }

  @Test
  void aClockThatWentBack_waitsNoMoreThanTheSettleTime() {
    settle.changed(1_000);

    assertThat(settle.waitMillis(400)).isEqualTo(100);
  }
}
