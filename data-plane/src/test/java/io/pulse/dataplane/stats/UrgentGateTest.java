package io.pulse.dataplane.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UrgentGateTest {

  @Test
  void tryPass_oncePerFunctionPerGap() {
    UrgentGate gate = new UrgentGate(100);
    assertThat(gate.tryPass("f", 1_000)).isTrue();
    assertThat(gate.tryPass("f", 1_050)).isFalse();
    assertThat(gate.tryPass("g", 1_050)).isTrue();
    assertThat(gate.tryPass("f", 1_100)).isTrue();
    assertThat(gate.tryPass("f", 1_199)).isFalse();
  }
}
