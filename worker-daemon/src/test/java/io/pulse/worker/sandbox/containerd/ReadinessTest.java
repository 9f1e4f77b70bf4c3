package io.pulse.worker.sandbox.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class ReadinessTest {

  @Test
  void pauseNanos_startsAtAQuarterMillisecond_thenEveryMillisecondForAbout50Ms_thenEveryThree() {
    assertThat(Readiness.pauseNanos(0)).isEqualTo(250_000);
    assertThat(Readiness.pauseNanos(1)).isEqualTo(500_000);
    assertThat(Readiness.pauseNanos(2)).isEqualTo(1_000_000);
    assertThat(Readiness.pauseNanos(3)).isEqualTo(1_000_000);
    assertThat(Readiness.pauseNanos(Readiness.FAST_ATTEMPTS - 1)).isEqualTo(1_000_000);
    long fastPhaseNanos = 0;
    for (int attempt = 0; attempt < Readiness.FAST_ATTEMPTS; attempt++) {
      fastPhaseNanos += Readiness.pauseNanos(attempt);
    }
    assertThat(fastPhaseNanos).isBetween(45_000_000L, 55_000_000L);
    assertThat(Readiness.pauseNanos(Readiness.FAST_ATTEMPTS)).isEqualTo(3_000_000);
    assertThat(Readiness.pauseNanos(Integer.MAX_VALUE)).isEqualTo(Readiness.MAX_PAUSE_NANOS);
  }

  @Test
  void await_isReadyWhenThePortAccepts_andGivesUpWhenToldTo() throws Exception {
    try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      assertThat(Readiness.await("127.0.0.1", listening.getLocalPort(), System.nanoTime() + 60_000_000_000L,
          () -> false)).isEqualTo(Readiness.Outcome.READY);
    }
    int closed;
    try (ServerSocket gone = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      closed = gone.getLocalPort();
    }
    assertThat(Readiness.await("127.0.0.1", closed, System.nanoTime() + 60_000_000_000L, () -> true))
        .isEqualTo(Readiness.Outcome.GAVE_UP);
  }
}
