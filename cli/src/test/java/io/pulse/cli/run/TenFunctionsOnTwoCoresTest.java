package io.pulse.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's deployment, end to end on the process runtime: ten small web servers with default resources (250m,
 * 256 MiB), deployed at once on a worker of 2 cores with the default CPU overcommit, all answering. Each first request
 * waits in its function until all ten have arrived (a barrier of files), so they pass only if ten sandboxes run at
 * once: with CPU reserved strictly, 2000m holds eight of 250m and the last two requests wait for capacity until the
 * first eight give up. The time is printed, never asserted: the machine is shared.
 */
class TenFunctionsOnTwoCoresTest {

  private static final int FUNCTIONS = 10;
  /** Answers /together once every function's first request has arrived, or "alone" after 30 s (the function's own). */
  private static final String SERVER = """
      import http.server, pathlib, sys, time
      port, barrier, name, count = int(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
      class Handler(http.server.BaseHTTPRequestHandler):
          def do_GET(self):
              body = b"ok\\n"
              if self.path == "/together":
                  (barrier / name).touch()
                  deadline = time.monotonic() + 30
                  while len(list(barrier.iterdir())) < count and time.monotonic() < deadline:
                      time.sleep(0.02)
                  body = b"together\\n" if len(list(barrier.iterdir())) >= count else b"alone\\n"
              self.send_response(200)
              self.send_header("Content-Length", str(len(body)))
              self.end_headers()
              self.wfile.write(body)
          def log_message(self, *args):
              pass
      http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
      """;

  @TempDir static Path dataDir;
  @TempDir static Path scratch;
  static AllInOne pulse;
  static PulseTestClient client;

  @BeforeAll
  static void start() {
    // A port block of its own (FailingFunctionsTest draws from 24000-29799; runtimes elsewhere start at 20000).
    AllInOne.Tuning tuning = AllInOne.Tuning.NONE
        .withWorker(w -> w.withCapacity(2000, 8192).withPortRange(23_400, 23_599));
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

  private record FirstAnswer(String function, HttpResponse<String> answer, Duration afterDeploy) {}

  @Test
  void tenDefaultFunctionsDeployedAtOnce_allRunAtOnceAndAnswer() throws Exception {
    Path server = Files.writeString(scratch.resolve("server.py"), SERVER);
    Path barrier = Files.createDirectory(scratch.resolve("arrived"));
    List<String> names = IntStream.range(0, FUNCTIONS).mapToObj(i -> "small-" + i).toList();
    long start = System.nanoTime();
    List<Future<FirstAnswer>> answers = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (String name : names) {
        answers.add(pool.submit(() -> {
          long deployed = System.nanoTime();
          JsonObject spec = new JsonObject().put("name", name).put("command", new JsonArray(List.of("python3",
              server.toString(), "${PORT}", barrier.toString(), name, Integer.toString(FUNCTIONS))));
          HttpResponse<String> created = client.deploy(spec);
          assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
          HttpResponse<String> answer = client.invoke(name, "/together", "");
          return new FirstAnswer(name, answer, Duration.ofNanos(System.nanoTime() - deployed));
        }));
      }
    }
    Duration allAnswered = Duration.ofNanos(System.nanoTime() - start);

    List<FirstAnswer> firsts = new ArrayList<>();
    for (Future<FirstAnswer> answer : answers) {
      firsts.add(answer.get());
    }
    System.out.printf("ten default functions on 2 cores: deploy -> first 200 per function min %d ms, max %d ms;"
            + " all ten answered %d ms after the first deploy began%n",
        firsts.stream().mapToLong(f -> f.afterDeploy().toMillis()).min().orElseThrow(),
        firsts.stream().mapToLong(f -> f.afterDeploy().toMillis()).max().orElseThrow(), allAnswered.toMillis());
    assertThat(firsts).allSatisfy(first -> {
      assertThat(first.answer().statusCode()).as(first.function() + ": " + first.answer().body()).isEqualTo(200);
      assertThat(first.answer().body()).as(first.function()).isEqualTo("together\n");
    });
    for (String name : names) {
      JsonObject status = new JsonObject(client.api("GET", "/v1/functions/" + name, "").body())
          .getJsonObject("status");
      assertThat(status.getValue("lastPlacementFailure")).as(name + ": " + status).isNull();
    }
  }
}
