package io.pulse.common.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.joran.spi.JoranException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The shipped {@code logback.xml}: whatever an event quotes, it is written as one line that reads back exactly. */
class LogfmtLayoutTest {

  /** What a crashing function prints to forge a line of Pulse's own log, with a NUL and a CR thrown in. */
  static final String FORGED = "boom\nts=2026-01-01T00:00:00.000Z level=INFO thread=main logger=audit msg=\"forged\""
      + " action=delete token=none\0\r\n";

  private final LoggerContext context = new LoggerContext();
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private Encoder<ILoggingEvent> shipped;

  @BeforeEach
  @SuppressWarnings("unchecked")
  void configureAsShipped() throws JoranException {
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(LogfmtLayoutTest.class.getResource("/logback.xml"));
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    shipped = ((OutputStreamAppender<ILoggingEvent>) root.getAppender("STDERR")).getEncoder();
    root.detachAppender("STDERR"); // same encoder, into a list rather than the test's stderr
    AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent event) {
        lines.add(new String(shipped.encode(event), StandardCharsets.UTF_8));
      }
    };
    capture.setContext(context);
    capture.start();
    root.addAppender(capture);
  }

  @AfterEach
  void stop() {
    context.stop();
  }

  @Test
  void shippedConfiguration_usesLogfmtLayout() {
    assertThat(shipped).isInstanceOf(LayoutWrappingEncoder.class);
    assertThat(((LayoutWrappingEncoder<ILoggingEvent>) shipped).getLayout()).isInstanceOf(LogfmtLayout.class);
  }

  @Test
  void forgedMessageValuesAndException_stayOneLineAndReadBack() throws Exception {
    Exception failure = new IOException("exited: " + FORGED, new IllegalStateException("cause " + FORGED));
    String logger = "io.pulse.Hostile" + FORGED;
    Thread thread = Thread.ofPlatform().name("worker " + FORGED).start(() ->
        context.getLogger(logger).atWarn().setMessage("function log tail: {}")
            .addArgument(FORGED).addKeyValue("tail", FORGED).addKeyValue("key " + FORGED, 42).setCause(failure)
            .log());
    thread.join();

    String line = onlyLine();
    Map<String, String> fields = LogfmtReader.map(line.stripTrailing());

    assertThat(fields.keySet()).containsExactly("ts", "level", "thread", "logger", "msg", "tail", "key " + FORGED,
        "exception");
    assertThat(fields).containsEntry("level", "WARN").containsEntry("thread", "worker " + FORGED)
        .containsEntry("logger", logger.substring(logger.lastIndexOf('.') + 1)).containsEntry("msg", "function log tail: " + FORGED)
        .containsEntry("tail", FORGED).containsEntry("key " + FORGED, "42");
    assertThat(fields.get("exception"))
        .startsWith("java.io.IOException: exited: " + FORGED + "\n\tat io.pulse.common.log.LogfmtLayoutTest.")
        .contains("\nCaused by: java.lang.IllegalStateException: cause " + FORGED + "\n")
        .doesNotEndWith("\n");
    assertThat(line).contains("\\n\\tat io.pulse.common.log.LogfmtLayoutTest.").doesNotContain("\0");
  }

  @Test
  void plainEvent_readsLikeBefore() {
    context.getLogger("pulse.audit").atInfo().setMessage("audit").addKeyValue("action", "create")
        .addKeyValue("function", "hello").addKeyValue("revision", 1).addKeyValue("remote", "127.0.0.1").log();

    String line = onlyLine();

    assertThat(line).matches("ts=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z level=INFO thread=\\S+ logger=audit"
        + " msg=\"audit\" action=create function=hello revision=1 remote=127.0.0.1\n");
  }

  @Test
  void nullsAndFailingToString_doNotLoseTheEvent() {
    Object failing = new Object() {
      @Override
      public String toString() {
        throw new IllegalStateException("no text");
      }
    };
    Logger logger = context.getLogger("x");
    logger.atError().setMessage((String) null).addKeyValue("gone", (Object) null).addKeyValue("odd", failing).log();

    Map<String, String> fields = LogfmtReader.map(onlyLine().stripTrailing());

    assertThat(fields).containsEntry("msg", "null").containsEntry("gone", "null");
    assertThat(fields.get("odd")).contains("toString failed").contains("no text");
  }

  /** The one event logged, encoded by the shipped encoder: exactly one line, nothing that could break it. */
  private String onlyLine() {
    assertThat(lines).hasSize(1);
    String line = lines.getFirst();
    assertThat(line).endsWith("\n");
    assertThat(line.indexOf('\n')).as("the only newline ends the line").isEqualTo(line.length() - 1);
    LogfmtTest.assertOneCleanLine(line.substring(0, line.length() - 1));
    return line;
  }
}
