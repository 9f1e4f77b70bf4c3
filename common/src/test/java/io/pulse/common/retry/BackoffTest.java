package io.pulse.common.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void doubling_goesFromTheFloorToTheCeilingAndResets() {
    List<Long> delays = new ArrayList<>();
    Backoff backoff = Backoff.doubling(100, 2000);
    for (int i = 0; i < 7; i++) {
      delays.add(backoff.delayMillis());
      backoff = backoff.next();
    }

    assertThat(delays).containsExactly(100L, 200L, 400L, 800L, 1600L, 2000L, 2000L);
    assertThat(backoff.reset().delayMillis()).isEqualTo(100);
    assertThat(backoff.reset().attempt()).isZero();
  }

  @Test
  void constructor_rejectsInvertedBoundsAndBadJitter() {
    assertThatThrownBy(() -> Backoff.doubling(10, 5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Backoff.doubling(0, 5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Backoff.doubling(1, 5).jittered(1.0, 7)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Backoff.doubling(1, 5).jittered(Double.NaN, 7))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void jitter_spreadsClientsThatFailedTogether() {
    // Ten clients with different seeds, all at their third failure: not all wait the same.
    List<Long> delays = new ArrayList<>();
    for (long seed = 0; seed < 10; seed++) {
      delays.add(Backoff.doubling(100, 2000).jittered(0.5, seed).delayMillis(3));
    }

    assertThat(delays).allSatisfy(d -> assertThat(d).isBetween(400L, 800L));
    assertThat(delays.stream().distinct().count()).isGreaterThan(5);
  }

  @Property
  void delay_staysWithinTheJitteredBand(@ForAll @LongRange(min = 1, max = 1_000_000) long min,
      @ForAll @LongRange(min = 0, max = 1_000_000_000) long spread, @ForAll @DoubleRange(min = 0, max = 0.99) double jitter,
      @ForAll long seed, @ForAll @IntRange(min = 0, max = 200) int failures) {
    Backoff backoff = Backoff.doubling(min, min + spread).jittered(jitter, seed);
    long ceiling = Backoff.doubling(min, min + spread).delayMillis(failures);
    long delay = backoff.delayMillis(failures);

    assertThat(delay).isBetween(Math.max(1, (long) Math.floor(ceiling * (1 - jitter))), ceiling);
    assertThat(ceiling).isBetween(min, min + spread);
  }

  @Property
  void unjitteredDelays_neverShrinkAndReachTheCeiling(@ForAll @LongRange(min = 1, max = 1_000_000) long min,
      @ForAll @LongRange(min = 0, max = 1_000_000_000) long spread) {
    Backoff backoff = Backoff.doubling(min, min + spread);
    long previous = 0;
    for (int failures = 0; failures < 64; failures++) {
      long delay = backoff.delayMillis(failures);
      assertThat(delay).isGreaterThanOrEqualTo(previous);
      assertThat(delay).isLessThanOrEqualTo(Math.max(min, 2 * previous));
      previous = delay;
    }
    assertThat(previous).isEqualTo(min + spread);
  }

  @Property
  void sameSeed_sameDelays_andResetStartsOver(@ForAll long seed, @ForAll @IntRange(min = 0, max = 40) int failures) {
    Backoff one = Backoff.doubling(50, 60_000).jittered(0.3, seed);
    Backoff two = Backoff.doubling(50, 60_000).jittered(0.3, seed);
    for (int i = 0; i < failures; i++) {
      one = one.next();
      two = two.next();
    }

    assertThat(one.delayMillis()).isEqualTo(two.delayMillis()).isEqualTo(one.delayMillis(failures));
    assertThat(one.reset().delayMillis()).isEqualTo(Backoff.doubling(50, 60_000).jittered(0.3, seed).delayMillis());
  }
}
