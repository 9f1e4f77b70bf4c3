package io.pulse.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Ten functions deployed and invoked at once on a freshly started all-in-one, several times over: every one answers
 * and no thread is ever reported blocked. (Issue 18: once in six such runs two event loops stayed blocked for good,
 * one initializing a generated protobuf class, one loading a class, and Pulse stopped answering.)
 */
class ConcurrentFirstDeploysTest {

  private static final int FUNCTIONS = 10;

  private final Logger blockedThreads = (Logger) LoggerFactory.getLogger("io.pulse.common.vertx.BlockedThreads");
  private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();

  @BeforeEach
  void capture() {
    warnings.start();
    blockedThreads.addAppender(warnings);
  }

  @AfterEach
  void release() {
    blockedThreads.detachAppender(warnings);
  }

  @RepeatedTest(5)
  void tenConcurrentFirstDeploys_allAnswerAndNoThreadBlocks(RepetitionInfo repetition, @TempDir Path dataDir)
      throws Exception {
    try (AllInOne pulse = AllInOne.start(new AllInOne.Settings("127.0.0.1", 0, 0, "process", dataDir, "fn.localhost"),
        Duration.ofSeconds(30))) {
      PulseTestClient client = new PulseTestClient(pulse);
      List<Future<String>> outcomes = new ArrayList<>();
      try (ExecutorService callers = Executors.newFixedThreadPool(FUNCTIONS)) {
        for (int i = 0; i < FUNCTIONS; i++) {
          String name = "first-" + repetition.getCurrentRepetition() + "-" + i;
          outcomes.add(callers.submit(() -> deployAndInvoke(client, name)));
        }
        for (Future<String> outcome : outcomes) {
          assertThat(outcome.get(90, TimeUnit.SECONDS)).isEqualTo("201 200");
        }
      }
    }
    assertThat(warnings.list).as("blocked-thread reports").isEmpty();
  }

  private static String deployAndInvoke(PulseTestClient client, String name) {
    JsonObject spec = new JsonObject().put("name", name)
        .put("command", new JsonArray(List.of("python3", "-m", "http.server", "${PORT}", "--bind", "127.0.0.1")));
    int deployed = client.deploy(spec).statusCode();
    HttpResponse<String> invoked = client.invoke(name, "/", "");
    return deployed + " " + invoked.statusCode();
  }
}
