package io.pulse.dataplane.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RouteWatcherBackoffTest {

  @Test
  void routeStreams_retryWithinAQuarterSecond_evenAfterAFailoverOfSeveralSeconds() {
    // A leader election of ~2 s under load made the old 100 ms .. 2 s backoff wait 1.6 s more after the new leader
    // published the route a cold-started request was waiting for.
    var backoff = RouteWatcher.RECONNECT;
    long waited = 0;
    long delay = 0;
    while (waited < 5_000) {
      delay = backoff.delayMillis();
      backoff = backoff.next();
      waited += delay;
    }
    assertThat(delay).isLessThanOrEqualTo(250);
  }
}
