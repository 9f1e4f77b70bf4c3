package io.pulse.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A function that prints 100 MB, end to end on the process runtime: its log on the worker never passes the worker's
 * {@code --log-max-bytes} (one rotated generation beside it), and {@code GET /v1/functions/{name}/logs} still ends
 * with the newest lines.
 */
class LoudFunctionLogTest {

  private static final long BOUND = 1024 * 1024;
  private static final long PRINTED = 100L * 1024 * 1024;

  @TempDir Path dataDir;

  @Test
  void functionPrinting100MB_keepsItsLogWithinTheBound_andItsNewestLinesReadable() throws Exception {
    // The process runtime's ports of this test: a block of 16000..16999.
    int ports = 16_000 + 100 * ThreadLocalRandom.current().nextInt(10);
    AllInOne.Tuning tuning = AllInOne.Tuning.NONE
        .withWorker(w -> w.withPortRange(ports, ports + 99).withLogMaxBytes(BOUND));
    try (AllInOne pulse = AllInOne.start(new AllInOne.Settings("127.0.0.1", 0, 0, "process", dataDir,
        "fn.localhost"), Duration.ofSeconds(30), tuning)) {
      PulseTestClient client = new PulseTestClient(pulse);
      // Serves at once and prints in the background, so that its instance is up while it prints.
      JsonObject spec = new JsonObject().put("name", "loud")
          .put("command", new JsonArray(List.of("sh", "-c", "(yes 'a line of output to fill the log' | head -c "
              + PRINTED + "; echo; echo last-marker) & exec python3 -m http.server ${PORT} --bind 127.0.0.1")))
          .put("scaling", new JsonObject().put("policy", "kpa").put("minScale", 1));
      assertThat(client.deploy(spec).statusCode()).isEqualTo(201);

      await("the last line through the API").atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1))
          .until(() -> lastTexts(client, 1).equals(List.of("last-marker")));

      // 104857600 bytes are 3177503 lines of 33 bytes and 1 more: head cut the last line there.
      assertThat(lastTexts(client, 3)).containsExactly("a line of output to fill the log", "a", "last-marker");
      List<Path> logs = logFiles(dataDir.resolve("instances"));
      assertThat(logs).as("output.log and output.log.1").hasSize(2);
      for (Path log : logs) {
        assertThat(Files.size(log)).as(log.toString()).isLessThanOrEqualTo(BOUND);
      }
    }
  }

  private static List<String> lastTexts(PulseTestClient client, int tail) {
    JsonObject answer = new JsonObject(client.api("GET", "/v1/functions/loud/logs?tail=" + tail, "").body());
    return answer.getJsonArray("lines").stream().map(JsonObject.class::cast).map(l -> l.getString("text")).toList();
  }

  private static List<Path> logFiles(Path instances) throws Exception {
    try (Stream<Path> files = Files.walk(instances)) {
      return files.filter(f -> f.getFileName().toString().startsWith("output.log")).sorted().toList();
    }
  }
}
