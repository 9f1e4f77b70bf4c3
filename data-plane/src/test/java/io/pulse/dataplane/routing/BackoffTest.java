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
  void routeStreams_retryWithinAQuarterSecond_evenAfterAFailoverOfSeveralSeconds() {
    // A leader election of ~2 s under load made the old 100 ms .. 2 s backoff wait 1.6 s more after the new leader
    // published the route a cold-started request was waiting for.
    Backoff backoff = new Backoff(RouteWatcher.RECONNECT_MIN_MILLIS, RouteWatcher.RECONNECT_MAX_MILLIS);
    long waited = 0;
    long delay = 0;
    while (waited < 5_000) {
      delay = backoff.nextDelayMillis();
      waited += delay;
    }
    assertThat(delay).isLessThanOrEqualTo(250);
  }

  @Test
  void constructor_rejectsInvertedBounds() {
    assertThatThrownBy(() -> new Backoff(10, 5)).isInstanceOf(IllegalArgumentException.class);
  }
}
