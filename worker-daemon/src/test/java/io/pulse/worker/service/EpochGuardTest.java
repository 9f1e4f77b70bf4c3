package io.pulse.worker.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EpochGuardTest {

  @Test
  void admit_refusesLowerNonZeroEpochsOnceAHigherOneWasSeen() {
    EpochGuard guard = new EpochGuard();

    assertThat(guard.admit(5)).isTrue();
    assertThat(guard.admit(5)).isTrue();
    assertThat(guard.admit(4)).isFalse();
    assertThat(guard.admit(7)).isTrue();
    assertThat(guard.admit(5)).isFalse();
    assertThat(guard.highest()).isEqualTo(7);
  }

  @Test
  void admit_alwaysAcceptsEpochZero() {
    EpochGuard guard = new EpochGuard();
    guard.observe(100);

    assertThat(guard.admit(0)).isTrue();
    assertThat(guard.highest()).isEqualTo(100);
  }

  @Test
  void observe_raisesTheBarForCommands() {
    EpochGuard guard = new EpochGuard();

    guard.observe(10);
    guard.observe(3);

    assertThat(guard.admit(9)).isFalse();
    assertThat(guard.admit(10)).isTrue();
  }
}
