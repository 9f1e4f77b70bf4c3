package io.pulse.dataplane.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void nextDelay_doublesUpToTheCeilingAndResets() {
    Backoff backoff = new Backoff(100, 2000);
    assertThat(new long[] {backoff.nextDelayMillis(), backoff.nextDelayMillis(), backoff.nextDelayMillis(),
        backoff.nextDelayMillis(), backoff.nextDelayMillis(), backoff.nextDelayMillis()})
        .containsExactly(100, 200, 400, 800, 1600, 2000);
    backoff.reset();
    assertThat(backoff.nextDelayMillis()).isEqualTo(100);
  }

  @Test
  void constructor_rejectsInvertedBounds() {
    assertThatThrownBy(() -> new Backoff(10, 5)).isInstanceOf(IllegalArgumentException.class);
  }
}
