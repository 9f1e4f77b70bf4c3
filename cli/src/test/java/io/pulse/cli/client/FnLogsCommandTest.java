package io.pulse.cli.client;

import static io.pulse.cli.PulseCommandAccess.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.cli.PulseCommandAccess;
import io.pulse.cli.PulseCommandAccess.Result;
import io.pulse.cli.run.AllInOne;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Instance logs end to end on the process runtime: a function prints a marker at start, and both {@code GET
 * /v1/functions/{name}/logs} and {@code pulse fn logs} return it tagged with the instance that printed it; {@code -f}
 * follows what it prints later until the function is deleted.
 */
class FnLogsCommandTest {

  @TempDir Path dir;

  @Test
  void aFunctionsMarker_isReturnedTaggedWithItsInstance_byTheApiAndTheCli() throws Exception {
    String marker = "log-marker-" + System.nanoTime();
    // A port block of its own (see FailingFunctionsTest): 23000..23399.
    int ports = 23_000 + 100 * ThreadLocalRandom.current().nextInt(4);
    AllInOne.Tuning tuning = AllInOne.Tuning.NONE.withWorker(w -> w.withPortRange(ports, ports + 99));
    try (AllInOne pulse = AllInOne.start(new AllInOne.Settings("127.0.0.1", 0, 0, "process", dir.resolve("data"),
        "fn.localhost"), Duration.ofSeconds(30), tuning)) {
      JsonObject spec = new JsonObject().put("name", "chatty")
          .put("command", new JsonArray().add("sh").add("-c")
              .add("echo " + marker + "; exec python3 -m http.server ${PORT} --bind 127.0.0.1"))
          .put("scaling", new JsonObject().put("minScale", 1));
      HttpResponse<String> deployed = send(pulse, pulse.apiUrl() + "/v1/functions", spec.encode());
      assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);

      JsonObject answer = await().atMost(Duration.ofSeconds(60)).until(
          () -> new JsonObject(send(pulse, pulse.apiUrl() + "/v1/functions/chatty/logs?tail=10", "").body()),
          body -> body.getJsonArray("lines").stream().anyMatch(l -> ((JsonObject) l).getString("text").equals(marker)));
      List<String> instances = new JsonObject(send(pulse, pulse.apiUrl() + "/v1/functions/chatty/instances", "")
          .body()).getJsonArray("instances").stream().map(i -> ((JsonObject) i).getString("id")).toList();
      JsonObject line = answer.getJsonArray("lines").stream().map(JsonObject.class::cast)
          .filter(l -> l.getString("text").equals(marker)).findFirst().orElseThrow();
      assertThat(instances).contains(line.getString("instance"));
      assertThat(line.getString("kind")).isEqualTo("regular");
      assertThat(line.getString("time")).isNotBlank();
      assertThat(answer.getJsonArray("errors")).isEmpty();

      Result cli = run("fn", "logs", "chatty", "--tail", "10", "--api=" + pulse.apiUrl(),
          "--token=" + pulse.apiToken());
      assertThat(cli.code()).as(cli.err()).isZero();
      assertThat(cli.out().lines()).anyMatch(l -> l.endsWith(" " + line.getString("instance") + " " + marker));

      Result unknown = run("fn", "logs", "nope", "--api=" + pulse.apiUrl(), "--token=" + pulse.apiToken());
      assertThat(unknown.code()).isEqualTo(1);
      assertThat(unknown.err()).contains("HTTP 404");

      // -f: the tail, then what the instance prints later (python logs each request), until the function is deleted.
      ByteArrayOutputStream followed = new ByteArrayOutputStream();
      CommandLine follower = PulseCommandAccess.commandLine(new PrintStream(followed, true, StandardCharsets.UTF_8));
      follower.setErr(new PrintWriter(new StringWriter(), true));
      CompletableFuture<Integer> following = CompletableFuture.supplyAsync(() -> follower.execute("fn", "logs",
          "chatty", "-f", "--tail", "5", "--api=" + pulse.apiUrl(), "--token=" + pulse.apiToken()));
      await().atMost(Duration.ofSeconds(30)).until(() -> text(followed).contains(marker));
      String path = "/follow-" + System.nanoTime();
      assertThat(send(pulse, pulse.gatewayUrl() + "/fn/chatty" + path, "").statusCode()).isEqualTo(404);
      await().atMost(Duration.ofSeconds(30)).until(() -> text(followed).contains("GET " + path));
      assertThat(text(followed).lines().filter(l -> l.endsWith(" " + marker))).hasSize(1);
      assertThat(send(pulse, pulse.apiUrl() + "/v1/functions/chatty", null).statusCode()).isEqualTo(200);
      assertThat(following.get(30, TimeUnit.SECONDS)).isZero();
    }
  }

  private static String text(ByteArrayOutputStream out) {
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  /** GET with an empty body, POST with one, DELETE with none. */
  private static HttpResponse<String> send(AllInOne pulse, String url, @Nullable String body) throws Exception {
    String method = body == null ? "DELETE" : body.isEmpty() ? "GET" : "POST";
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + pulse.apiToken())
        .method(method, body == null || body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body))
        .build();
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
  }
}
