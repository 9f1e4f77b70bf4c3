package io.pulse.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.samples.hello.HelloCommand;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
