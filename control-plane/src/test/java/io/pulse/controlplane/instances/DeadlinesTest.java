package io.pulse.controlplane.instances;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeadlinesTest {

  private final Deadlines deadlines = new Deadlines();

  @Test
  void takeDue_returnsWhatIsDueEarliestFirst_andLeavesTheRest() {
    deadlines.put(new Deadline.Tombstone("a"), 300);
    deadlines.put(new Deadline.Retry("f"), 100);
    deadlines.put(new Deadline.DrainCheck("b"), 200);

    assertThat(deadlines.next()).isEqualTo(100);
    assertThat(deadlines.takeDue(200)).containsExactly(new Deadline.Retry("f"), new Deadline.DrainCheck("b"));
    assertThat(deadlines.next()).isEqualTo(300);
    assertThat(deadlines.contains(new Deadline.Retry("f"))).isFalse();
    assertThat(deadlines.takeDue(299)).isEmpty();
  }

  @Test
  void put_movesADeadline_andRemoveForgetsIt() {
    deadlines.put(new Deadline.Retry("f"), 100);
    deadlines.put(new Deadline.Retry("f"), 500);

    assertThat(deadlines.at(new Deadline.Retry("f"))).isEqualTo(500);
    assertThat(deadlines.takeDue(400)).isEmpty();

    deadlines.remove(new Deadline.Retry("f"));
    assertThat(deadlines.next()).isEqualTo(Long.MAX_VALUE);
    assertThat(deadlines.at(new Deadline.Retry("f"))).isEqualTo(Long.MIN_VALUE);
  }
}
