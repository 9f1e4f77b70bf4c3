package io.pulse.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import io.pulse.samples.hello.HelloCommand;
import io.pulse.worker.testing.Processes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Closing the all-in-one leaves no function process behind, and its ports can be bound again at once. */
class AllInOneShutdownTest {

  @TempDir Path dataDir;

  @Test
  void close_killsEveryFunctionProcessAndFreesThePorts() {
    AllInOne pulse = AllInOne.start(new AllInOne.Settings("127.0.0.1", 0, 0, "process", dataDir, "fn.localhost"),
        Duration.ofSeconds(30));
    int restPort = pulse.restPort();
    int httpPort = pulse.httpPort();
    List<ProcessHandle> functions;
    try {
      PulseTestClient client = new PulseTestClient(pulse);
      client.deploy(new JsonObject().put("name", "hello").put("command", new JsonArray(HelloCommand.argv())));
      assertThat(client.invoke("hello", "/", "").statusCode()).isEqualTo(200);
      functions = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
      assertThat(functions).as("the function runs as a child process").isNotEmpty();
    } finally {
      pulse.close();
    }

    assertThat(functions).noneMatch(ProcessHandle::isAlive);

    AllInOne again = AllInOne.start(
        new AllInOne.Settings("127.0.0.1", restPort, httpPort, "process", dataDir, "fn.localhost"),
        Duration.ofSeconds(30));
    again.close();
  }

  /**
   * A stop that the operator asked for is not a fault: nothing warns while the parts stop one after the other (the
   * worker's heartbeats and the data plane's load reports used to fail, and warn, once the control plane stopped).
   */
  @Test
  void close_warnsOfNothing() {
    AllInOne pulse = AllInOne.start(new AllInOne.Settings("127.0.0.1", 0, 0, "process", dataDir, "fn.localhost"),
        Duration.ofSeconds(30));
    Logger pulseLogs = (Logger) LoggerFactory.getLogger("io.pulse");
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    try {
      PulseTestClient client = new PulseTestClient(pulse);
      client.deploy(new JsonObject().put("name", "hello").put("command", new JsonArray(HelloCommand.argv())));
      assertThat(client.invoke("hello", "/", "").statusCode()).isEqualTo(200);
      logged.start();
      pulseLogs.addAppender(logged);
    } finally {
      pulse.close();
    }
    pulseLogs.detachAppender(logged);

    assertThat(logged.list).as("warnings while closing")
        .filteredOn(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
        .extracting(event -> event.getLoggerName() + ": " + event.getFormattedMessage())
        .isEmpty();
  }

  @Test
  void close_killsTheDaemonsFunctionsStartedByDoubleForking() throws Exception {
    // Each instance's daemon leaves the instance's process tree ((setsid ... &): re-parented, a session of its own)
    // and writes its pid to pids/<instance>.
    Path pids = Files.createDirectories(dataDir.resolve("pids"));
    Path daemon = dataDir.resolve("daemon.sh");
    Files.writeString(daemon, "read -r pid rest < /proc/self/stat; echo $pid > '" + pids
        + "'/$PULSE_INSTANCE_ID; exec sleep 1000\n");
    AllInOne pulse = AllInOne.start(new AllInOne.Settings("127.0.0.1", 0, 0, "process", dataDir, "fn.localhost"),
        Duration.ofSeconds(30));
    List<Long> daemons;
    try {
      PulseTestClient client = new PulseTestClient(pulse);
      // minScale 1: a Regular Instance that stays until the all-in-one stops.
      client.deploy(new JsonObject().put("name", "daemon").put("scaling", new JsonObject().put("minScale", 1))
          .put("command", new JsonArray(List.of("sh", "-c",
              "(setsid sh '" + daemon + "' &); exec python3 -m http.server ${PORT} --bind 127.0.0.1"))));
      await().atMost(Duration.ofSeconds(30)).until(() -> written(pids).stream().anyMatch(Processes::isRunning));
      daemons = written(pids).stream().filter(Processes::isRunning).toList();
    } finally {
      pulse.close();
    }

    await("daemons gone").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
        .until(() -> daemons.stream().noneMatch(Processes::isRunning));
    assertThat(written(pids)).as("also those of instances started meanwhile").noneMatch(Processes::isRunning);
  }

  /** The pids the daemons wrote so far (a file being written is skipped until it holds a number). */
  private static List<Long> written(Path pids) throws IOException {
    try (Stream<Path> files = Files.list(pids)) {
      return files.map(AllInOneShutdownTest::read).filter(text -> text.matches("[0-9]+")).map(Long::valueOf)
          .toList();
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
