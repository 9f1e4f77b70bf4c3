package io.pulse.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.cli.PulseCommandAccess;
import io.pulse.cli.PulseCommandAccess.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code pulse data-plane --transport} with a value it does not know is one line on stderr and exit code 1, before
 * anything starts (an io_uring the host refuses takes the same way: {@code NetTransport}'s error, not a stack trace).
 * A data plane that wrongly started would block until shut down: the timeout turns that into a failure.
 */
@Timeout(60)
class DataPlaneTransportFlagTest {

  @Test
  void unknownTransport_isRefusedInOneLine_namingWhatItTakes() {
    Result result = PulseCommandAccess.run("data-plane", "--transport", "kqueue", "--control-plane", "127.0.0.1:9091");

    assertThat(result.code()).as(result.err()).isEqualTo(1);
    assertThat(result.err().lines().toList()).as(result.err())
        .containsExactly("pulse: --transport: 'kqueue' is none of auto, epoll, io_uring");
  }
}
