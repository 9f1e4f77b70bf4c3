package io.pulse.worker.sandbox.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class ReadinessTest {

  @Test
  void pauseNanos_startsAtAQuarterMillisecond_doubles_thenStaysAtThreeMilliseconds() {
    assertThat(Readiness.pauseNanos(0)).isEqualTo(250_000);
    assertThat(Readiness.pauseNanos(1)).isEqualTo(500_000);
    assertThat(Readiness.pauseNanos(2)).isEqualTo(1_000_000);
    assertThat(Readiness.pauseNanos(3)).isEqualTo(2_000_000);
    assertThat(Readiness.pauseNanos(4)).isEqualTo(Readiness.MAX_PAUSE_NANOS);
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
