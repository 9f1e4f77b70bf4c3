package io.pulse.worker.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.worker.sandbox.SandboxKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EpochGuardTest {

  @Test
  void check_refusesLowerEpochsOnceAHigherOneWasSeen() {
    EpochGuard guard = new EpochGuard();

    assertThat(guard.check(5, SandboxKind.REGULAR)).isNull();
    assertThat(guard.check(5, SandboxKind.REGULAR)).isNull();
    assertThat(guard.check(4, SandboxKind.REGULAR)).isEqualTo(
        new EpochGuard.Refusal("stale_epoch", "epoch 4 is older than epoch 5 already seen"));
    assertThat(guard.check(7, null)).isNull();
    assertThat(guard.check(5, SandboxKind.EMERGENCY)).isNotNull();
    assertThat(guard.highest()).isEqualTo(7);
  }

  @Test
  void check_acceptsEpochZeroForEmergencyAndUnknownInstancesOnly() {
    EpochGuard guard = new EpochGuard();
    guard.observe(100);

    assertThat(guard.check(0, SandboxKind.EMERGENCY)).isNull();
    assertThat(guard.check(0, null)).isNull();
    assertThat(guard.check(0, SandboxKind.REGULAR)).isNotNull()
        .satisfies(r -> assertThat(r.reason()).isEqualTo("regular_epoch_zero"));
    assertThat(guard.highest()).isEqualTo(100);
  }

  @Test
  void observe_raisesTheBarForCommands() {
    EpochGuard guard = new EpochGuard();

    guard.observe(10);
    guard.observe(3);

    assertThat(guard.check(9, SandboxKind.REGULAR)).isNotNull();
    assertThat(guard.check(10, SandboxKind.REGULAR)).isNull();
  }

  @Test
  void startsFromAnEarlierRunsEpoch_andReportsEachRiseOnly() {
    List<Long> rises = new ArrayList<>();
    EpochGuard guard = new EpochGuard(50, rises::add);

    assertThat(guard.check(49, SandboxKind.REGULAR)).isNotNull();
    guard.observe(50);
    guard.observe(60);
    assertThat(guard.check(60, SandboxKind.REGULAR)).isNull();
    assertThat(guard.check(70, SandboxKind.REGULAR)).isNull();
    assertThat(guard.check(0, SandboxKind.EMERGENCY)).isNull();

    assertThat(rises).containsExactly(60L, 70L);
  }
}
