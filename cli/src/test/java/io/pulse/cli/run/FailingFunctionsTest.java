package io.pulse.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.worker.sandbox.SandboxKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Functions that fail, and what their callers see, end to end on the process runtime (real child processes): a
 * function that crashes at start (its output stays out of the gateway's answer), one that never listens (its callers
 * are answered at the queue timeout, whatever the policy), one deleted while it serves a request (the request ends
 * normally).
 */
class FailingFunctionsTest {

  private static final long QUEUE_TIMEOUT_MS = 6_000;
  /** What the machine may add to the queue timeout before the answer arrives (a loaded 2-core CI runner). */
  private static final Duration ANSWER_SLACK = Duration.ofSeconds(4);

  @TempDir static Path dataDir;
  @TempDir static Path scratch;
  static AllInOne pulse;
  static PulseTestClient client;

  @BeforeAll
  static void start() {
    // A port of its own block: a never-listening function leaves its port bindable, so another Pulse on this machine
    // (a parallel build, starting at 20000) could hand it out too, and the readiness probe would find that one.
    int ports = 24_000 + 200 * java.util.concurrent.ThreadLocalRandom.current().nextInt(29);
    AllInOne.Tuning tuning = AllInOne.Tuning.NONE
        .withWorker(w -> w.withPortRange(ports, ports + 199))
        .withDataPlane(d -> d.withQueueTimeoutMs(QUEUE_TIMEOUT_MS).withReportIntervalMs(100));
    pulse = AllInOne.start(new AllInOne.Settings("127.0.0.1", 0, 0, "process", dataDir, "fn.localhost"),
        Duration.ofSeconds(30), tuning);
    client = new PulseTestClient(pulse);
  }

  @AfterAll
  static void stop() {
    if (pulse != null) {
      pulse.close();
    }
  }

  private static JsonObject spec(String name, List<String> command, String policy) {
    return new JsonObject().put("name", name).put("command", new JsonArray(command))
        .put("scaling", new JsonObject().put("policy", policy));
  }

  @Test
  void crashAtStart_is502WithARef_withoutTheFunctionsOutput_andTheStatusHasTheDetails() {
    String secret = "DB_PASSWORD=hunter2-" + System.nanoTime();
    assertThat(client.deploy(spec("crashy", List.of("sh", "-c", "echo config: " + secret + "; exit 3"),
        "dual-track")).statusCode()).isEqualTo(201);

    HttpResponse<String> answer = client.invoke("crashy", "/", "");

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(502);
    JsonObject error = new JsonObject(answer.body()).getJsonObject("error");
    String ref = error.getString("ref");
    assertThat(ref).matches("[0-9a-f]{12}");
    assertThat(error.getString("message")).isEqualTo("function 'crashy' failed to start (ref " + ref + ")");
    assertThat(answer.body()).doesNotContain("hunter2").doesNotContain("DB_PASSWORD").doesNotContain("127.0.0.1")
        .doesNotContain("crashy-1-");

    // The details are behind the token, under the ref: the worker's words with the function's last log lines.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      HttpResponse<String> record = client.api("GET", "/v1/functions/crashy", "");
      assertThat(new JsonObject(record.body()).getJsonObject("status").getJsonArray("recentFailures").stream()
          .map(JsonObject.class::cast).filter(f -> ref.equals(f.getString("ref"))).toList())
          .as(record.body()).hasSize(3).allSatisfy(f -> {
            assertThat(f.getString("stage")).isEqualTo("create");
            assertThat(f.getString("message")).contains("exited with code 3").contains("config: " + secret);
          });
    });
  }

  @Test
  void neverListening_isAnswered504AtTheQueueTimeoutOnEveryPolicy_andLeavesNoEmergencySandbox() throws Exception {
    List<String> policies = List.of("dual-track", "kpa", "emergency-only");
    for (String policy : policies) {
      assertThat(client.deploy(spec("deaf-" + policy, List.of("sleep", "1000"), policy)).statusCode())
          .isEqualTo(201);
    }

    Map<String, Future<Timed>> answers = new java.util.LinkedHashMap<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (String policy : policies) {
        answers.put(policy, pool.submit(() -> {
          long start = System.nanoTime();
          HttpResponse<String> answer = client.invoke("deaf-" + policy, "/", "");
          return new Timed(answer, Duration.ofNanos(System.nanoTime() - start));
        }));
      }
    }

    for (Map.Entry<String, Future<Timed>> entry : answers.entrySet()) {
      Timed timed = entry.getValue().get();
      assertThat(timed.answer().statusCode()).as(entry.getKey() + ": " + timed.answer().body()).isEqualTo(504);
      assertThat(new JsonObject(timed.answer().body()).getJsonObject("error").getString("message"))
          .startsWith("no instance of function 'deaf-" + entry.getKey() + "' became ready within "
              + QUEUE_TIMEOUT_MS + " ms");
      assertThat(timed.elapsed()).as(entry.getKey())
          .isLessThan(Duration.ofMillis(QUEUE_TIMEOUT_MS).plus(ANSWER_SLACK));
    }
    // The cut-short creations were deleted on the worker, not left to its own readiness timeout.
    await().atMost(Duration.ofSeconds(10)).until(() -> pulse.worker().sandboxes().stream()
        .noneMatch(s -> s.kind() == SandboxKind.EMERGENCY));
  }

  private record Timed(HttpResponse<String> answer, Duration elapsed) {}

  @Test
  void deleteDuringARequest_theRequestFinishes_newOnesAre404_andTheInstanceGoes() throws Exception {
    Path marker = scratch.resolve("request-arrived");
    Path script = scratch.resolve("slow.py");
    Files.writeString(script, """
        import http.server, os, time
        class Slow(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = b"quick answer"
                if self.path == "/slow":
                    open(os.environ["MARKER"], "w").close()
                    time.sleep(3)
                    body = b"slow answer"
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def log_message(self, *args):
                pass
        http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Slow).serve_forever()
        """);
    JsonObject spec = spec("leaving", List.of("python3", script.toString()), "kpa")
        .put("env", new JsonObject().put("MARKER", marker.toString()));
    spec.getJsonObject("scaling").put("minScale", 1);
    assertThat(client.deploy(spec).statusCode()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(30)).until(() -> client.regularInstanceCount("leaving") == 1
        && client.invoke("leaving", "/", "").statusCode() == 200);

    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<HttpResponse<String>> running = pool.submit(() -> client.invoke("leaving", "/slow", ""));
      await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(marker)); // the function has the request

      assertThat(client.api("DELETE", "/v1/functions/leaving", "").statusCode()).isEqualTo(200);

      assertThat(client.invoke("leaving", "/", "").statusCode()).as("a request after the delete").isEqualTo(404);
      HttpResponse<String> answer = running.get();
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("slow answer");
    }
    await().atMost(Duration.ofSeconds(15)).until(() -> pulse.worker().sandboxes().stream()
        .noneMatch(s -> s.function().equals("leaving")));
  }
}
