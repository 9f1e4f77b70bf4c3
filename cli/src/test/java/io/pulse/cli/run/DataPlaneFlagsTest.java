package io.pulse.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.cli.PulseCommandAccess;
import io.pulse.cli.PulseCommandAccess.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code pulse data-plane} flags it cannot honour are refused on stderr with a non-zero exit, before anything starts:
 * a {@code --transport} it does not know in one line (an io_uring the host refuses takes the same way:
 * {@code NetTransport}'s error, not a stack trace), {@code --event-loops} outside the process's event loops naming the
 * range. A data plane that wrongly started would block until shut down: the timeout turns that into a failure.
 */
@Timeout(60)
class DataPlaneFlagsTest {

  @Test
  void unknownTransport_isRefusedInOneLine_namingWhatItTakes() {
    Result result = PulseCommandAccess.run("data-plane", "--transport", "kqueue", "--control-plane", "127.0.0.1:9091");

    assertThat(result.code()).as(result.err()).isEqualTo(1);
    assertThat(result.err().lines().toList()).as(result.err())
        .containsExactly("pulse: --transport: 'kqueue' is none of auto, epoll, io_uring");
  }

  @Test
  void eventLoopsOutsideTheProcesssLoops_areRefused_namingTheRange() {
    int most = io.vertx.core.VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
    for (String loops : new String[] {"0", Integer.toString(most + 1)}) {
      Result result = PulseCommandAccess.run("data-plane", "--event-loops", loops, "--control-plane", "127.0.0.1:9091");

      assertThat(result.code()).as(result.err()).isNotZero();
      assertThat(result.err()).as(result.err())
          .contains("--event-loops must be 1.." + most + " (the process's event loops, twice the cores), was " + loops);
    }
  }
}
