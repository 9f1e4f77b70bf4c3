package io.pulse.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ReplayTest {

  private static final Throwable CLOSED = new HttpClosedException("Connection was closed");

  @Test
  void firstAttemptOnAReusedConnectionClosedBeforeAnyBody_goesAgain() {
    assertThat(Replay.allowed(CLOSED, true, true, false)).isTrue();
    assertThat(Replay.allowed(new IOException("Connection reset by peer"), true, true, false)).isTrue();
  }

  @Test
  void bodyAlreadySent_neverGoesAgain() {
    assertThat(Replay.allowed(CLOSED, true, true, true)).isFalse();
  }

  @Test
  void freshConnectionClosing_isTheInstancesDoing_andNotReplayed() {
    assertThat(Replay.allowed(CLOSED, true, false, false)).isFalse();
  }

  @Test
  void aReplay_isNeverReplayed() {
    assertThat(Replay.allowed(CLOSED, false, true, false)).isFalse();
  }

  @Test
  void failuresOtherThanALostConnection_areNotReplayed() {
    assertThat(Replay.allowed(new TimeoutException(), true, true, false)).isFalse();
    assertThat(Replay.allowed(new IllegalStateException("bad response"), true, true, false)).isFalse();
  }
}
