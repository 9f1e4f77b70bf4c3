package io.pulse.worker.sandbox.containerd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The client's channel to containerd's Unix socket, without a containerd. */
class ContainerdClientChannelTest {

  private final Logger netty = (Logger) LoggerFactory.getLogger("io.netty");
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

  @BeforeEach
  void capture() {
    logged.start();
    netty.addAppender(logged);
  }

  @AfterEach
  void release() {
    netty.detachAppender(logged);
  }

  @Test
  void connecting_setsNoSocketOptionAUnixSocketLacks() {
    try (ContainerdClient client = ContainerdClient.connect(Path.of("/nonexistent/pulse.sock"), "pulse", 2_000)) {
      // The channel is set up (its options applied) before the connect fails.
      assertThatThrownBy(client::version).isInstanceOf(StatusRuntimeException.class);
    }
    List<String> warnings;
    synchronized (logged) {
      warnings = logged.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
          .map(ILoggingEvent::getFormattedMessage).toList();
    }
    assertThat(warnings).noneMatch(m -> m.contains("Unknown channel option"));
  }
}
