package io.pulse.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sweep of exchanges' deadlines, on a manual clock (nanoseconds passed in). */
class DeadlinesTest {

  private final Deadlines deadlines = new Deadlines();
  private final List<String> fired = new ArrayList<>();

  private final class Named extends Deadlines.Entry {
    private final String name;

    Named(String name) {
      this.name = name;
    }

    @Override
    void expired() {
      fired.add(name);
    }
  }

  @Test
  void sweep_firesWhatIsDueOnly_earliestFirst_andOnce() {
    deadlines.add(new Named("a"), 1_000, 0); // due at 1000
    deadlines.add(new Named("b"), 5_000, 100); // due at 5100
    deadlines.add(new Named("c"), 1_000, 200); // due at 1200

    assertThat(deadlines.sweep(999)).isZero();
    assertThat(fired).isEmpty();

    assertThat(deadlines.sweep(1_200)).isEqualTo(2);
    assertThat(fired).containsExactly("a", "c");
    assertThat(deadlines.size()).isEqualTo(1);

    assertThat(deadlines.sweep(5_099)).isZero();
    assertThat(deadlines.sweep(60_000)).isEqualTo(1);
    assertThat(fired).containsExactly("a", "c", "b");
    assertThat(deadlines.sweep(120_000)).isZero();
    assertThat(deadlines.size()).isZero();
  }

  @Test
  void remove_beforeTheDeadline_meansItNeverFires_whereverItSitsInItsLane() {
    Named first = new Named("first");
    Named middle = new Named("middle");
    Named last = new Named("last");
    deadlines.add(first, 1_000, 0);
    deadlines.add(middle, 1_000, 10);
    deadlines.add(last, 1_000, 20);

    deadlines.remove(middle);
    deadlines.remove(first);
    deadlines.remove(first); // twice: nothing happens
    assertThat(first.pending()).isFalse();

    assertThat(deadlines.sweep(10_000)).isEqualTo(1);
    assertThat(fired).containsExactly("last");
    assertThat(last.pending()).isFalse();
  }

  @Test
  void anEntry_mayBeAddedAgainAfterItFired_andFromItsOwnExpiry() {
    Named again = new Named("again");
    Deadlines.Entry chaining = new Deadlines.Entry() {
      @Override
      void expired() {
        fired.add("chaining");
        deadlines.add(again, 2_000, 1_000); // a new timeout, added while the sweep runs
      }
    };
    deadlines.add(chaining, 1_000, 0);

    assertThat(deadlines.sweep(1_000)).isEqualTo(1);
    assertThat(fired).containsExactly("chaining");
    assertThat(deadlines.sweep(2_999)).isZero();
    assertThat(deadlines.sweep(3_000)).isEqualTo(1);
    assertThat(fired).containsExactly("chaining", "again");

    deadlines.add(chaining, 1_000, 4_000);
    assertThat(deadlines.size()).isEqualTo(1);
  }

  @Test
  void aClockThatStepsBack_keepsTheLaneInOrder() {
    deadlines.add(new Named("early"), 1_000, 500); // due at 1500
    deadlines.add(new Named("late"), 1_000, 400); // would be 1400: held at 1500 behind the first
    assertThat(deadlines.sweep(1_499)).isZero();
    assertThat(deadlines.sweep(1_500)).isEqualTo(2);
    assertThat(fired).containsExactly("early", "late");
  }
}
