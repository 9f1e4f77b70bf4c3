package io.pulse.controlplane.term;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TermOrderTest {

  private final TermOrder order = new TermOrder();

  @Test
  void inOrder_everyBeginAndEndApplies() {
    assertThat(order.admits(new TermAction.Begin(10))).isTrue();
    assertThat(order.admits(new TermAction.End(10))).isTrue();
    assertThat(order.admits(new TermAction.Begin(20))).isTrue();
    assertThat(order.admits(new TermAction.End(20))).isTrue();
  }

  @Test
  void anOlderEndArrivingAfterANewerBegin_doesNotEndTheNewerTerm() {
    assertThat(order.admits(new TermAction.Begin(10))).isTrue();
    assertThat(order.admits(new TermAction.Begin(20))).isTrue();

    assertThat(order.admits(new TermAction.End(10))).isFalse();
    assertThat(order.admits(new TermAction.End(20))).isTrue();
  }

  @Test
  void anOlderBeginArrivingLate_doesNotStartAStaleTerm_evenAfterTheNewerOneEnded() {
    assertThat(order.admits(new TermAction.Begin(20))).isTrue();
    assertThat(order.admits(new TermAction.Begin(10))).isFalse();
    assertThat(order.admits(new TermAction.End(20))).isTrue();

    assertThat(order.admits(new TermAction.Begin(10))).isFalse();
    assertThat(order.admits(new TermAction.Begin(20))).isFalse();
  }

  @Test
  void anEndOfANewerEpochThanAnyBegun_applies_andClaimsAndMergesAlwaysDo() {
    assertThat(order.admits(new TermAction.Begin(10))).isTrue();
    assertThat(order.admits(new TermAction.End(30))).isTrue();
    assertThat(order.admits(new TermAction.Claim(5))).isTrue();
    assertThat(order.admits(new TermAction.Merge())).isTrue();
  }
}
