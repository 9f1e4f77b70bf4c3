package io.pulse.dataplane.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.dataplane.stats.TicketState.Moves;
import org.junit.jupiter.api.Test;

/** {@link Moves#none()} by fields: true for no move at all, false as soon as any one counter moves. */
class TicketMovesTest {

  @Test
  void none_onlyWhenNoCounterMoves() {
    assertThat(Moves.NONE.none()).isTrue();
    assertThat(new Moves(0, 0, 0, 0, false, false).none()).isTrue();

    assertThat(new Moves(1, 0, 0, 0, false, false).none()).isFalse();
    assertThat(new Moves(0, -1, 0, 0, false, false).none()).isFalse();
    assertThat(new Moves(0, 0, 1, 0, false, false).none()).isFalse();
    assertThat(new Moves(0, 0, 0, -1, false, false).none()).isFalse();
    assertThat(new Moves(0, 0, 0, 0, true, false).none()).isFalse();
    assertThat(new Moves(0, 0, 0, 0, false, true).none()).isFalse();
  }
}
