package io.pulse.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.cli.PulseCommandAccess;
import io.pulse.common.testing.CountingFunction;
import io.pulse.common.testing.RawHttp;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Async invocations through an all-in-one Pulse (process runtime, a python3 function that counts its executions):
 * accepted with 202, run at least once by the leader's dispatcher, retried with backoff, dead-lettered, reported to a
 * callback, and kept across a restart. Functions use the port block 13000-13199.
 */
class AsyncInvocationsTest {

  private static final Duration DONE = Duration.ofSeconds(90);

  @TempDir static Path dataDir;
  @TempDir static Path scratch;
  static AllInOne pulse;
  static PulseTestClient client;
  static CountingFunction counting;
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() {
    counting = CountingFunction.in(scratch.resolve("counting"));
    pulse = startPulse();
    client = new PulseTestClient(pulse);
    assertThat(client.deploy(spec("counter", new JsonObject().put("maxAttempts", 3).put("backoffMs", 50)))
        .statusCode()).isEqualTo(201);
  }

  private static AllInOne startPulse() {
    AllInOne.Tuning tuning = AllInOne.Tuning.NONE.withWorker(w -> w.withPortRange(13_000, 13_199));
    return AllInOne.start(new AllInOne.Settings("127.0.0.1", 0, 0, "process", dataDir, "fn.localhost"),
        Duration.ofSeconds(60), tuning);
  }

  @AfterAll
  static void stop() {
    if (pulse != null) {
      pulse.close();
    }
  }

  private static JsonObject spec(String name, JsonObject async) {
    return new JsonObject().put("name", name).put("command", new JsonArray(counting.command()))
        .put("resources", new JsonObject().put("cpuMillis", 50).put("memoryMiB", 64)).put("async", async);
  }

  private static HttpResponse<String> invokeAsync(String function, String pathAndQuery, String body,
      String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(pulse.gatewayUrl() + "/async/fn/" + function
        + pathAndQuery)).timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject invocation(String id) {
    HttpResponse<String> answer = client.api("GET", "/v1/invocations/" + id, "");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return new JsonObject(answer.body());
  }

  private static JsonObject awaitState(String id, String state) {
    await().atMost(DONE).pollInterval(Duration.ofMillis(200))
        .until(() -> invocation(id).getString("state").equals(state));
    return invocation(id);
  }

  @Test
  void accepted_is202WithLocation_thenRunsOnce_andTheResultIsKept() throws Exception {
    HttpResponse<String> accepted = invokeAsync("counter", "/work?x=1", "payload");

    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String id = new JsonObject(accepted.body()).getString("id");
    assertThat(accepted.headers().firstValue("Location")).hasValue("/v1/invocations/" + id);
    JsonObject done = awaitState(id, "succeeded");
    assertThat(done.getInteger("attempts")).isEqualTo(1);
    assertThat(done.getJsonObject("result").getInteger("status")).isEqualTo(200);
    assertThat(done.getJsonObject("result").getString("body")).isEqualTo("done " + id + " 1 payload");
    assertThat(counting.executions()).containsEntry(id, 1L);
  }

  @Test
  void failingTwice_isRetried_andSucceedsOnTheThirdAttempt() throws Exception {
    String id = new JsonObject(invokeAsync("counter", "/?fail=2", "").body()).getString("id");

    JsonObject done = awaitState(id, "succeeded");

    assertThat(done.getInteger("attempts")).isEqualTo(3);
    assertThat(counting.executions()).containsEntry(id, 3L);
  }

  @Test
  void failingMoreThanMaxAttempts_isDeadLettered_andTheCallbackGetsTheResult() throws Exception {
    Vertx vertx = Vertx.vertx();
    List<JsonObject> received = new CopyOnWriteArrayList<>();
    HttpServer receiver = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      received.add(body.toJsonObject());
      request.response().setStatusCode(204).end();
    })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    try {
      String id = new JsonObject(invokeAsync("counter", "/?fail=5", "", "Pulse-Callback-Url",
          "http://127.0.0.1:" + receiver.actualPort() + "/done").body()).getString("id");

      JsonObject failed = awaitState(id, "failed");

      assertThat(failed.getInteger("attempts")).isEqualTo(3);
      assertThat(failed.getJsonObject("result").getInteger("status")).isEqualTo(500);
      assertThat(counting.executions()).containsEntry(id, 3L);
      String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(pulse.apiUrl() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(metrics).containsPattern("pulse_async_finished_total\\{state=\"failed\"\\} [1-9]")
          .containsPattern("pulse_async_retries_total [1-9]").containsPattern("pulse_async_accepted_total [1-9]")
          .contains("pulse_async_invocations{state=\"queued\"}").contains("pulse_async_oldest_pending_seconds");
      await().atMost(DONE).until(() -> !received.isEmpty());
      assertThat(received).singleElement().satisfies(callback -> {
        assertThat(callback.getString("id")).isEqualTo(id);
        assertThat(callback.getString("state")).isEqualTo("failed");
        assertThat(callback.getInteger("attempts")).isEqualTo(3);
      });
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void hostRouting_withThePulseAsyncHeader_isAcceptedToo() {
    List<RawHttp.Response> answers = RawHttp.exchange(pulse.httpPort(), "POST /hosted HTTP/1.1\r\n"
        + "Host: counter.fn.localhost\r\nPulse-Async: true\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi");

    assertThat(answers).singleElement().satisfies(answer -> {
      assertThat(answer.status()).as(answer.body()).isEqualTo(202);
      String id = new JsonObject(answer.body()).getString("id");
      assertThat(awaitState(id, "succeeded").getJsonObject("result").getString("body"))
          .isEqualTo("done " + id + " 1 hi");
    });
  }

  @Test
  void unknownFunction_is404_tooLargeABody_is413_andABadCallback_is400() throws Exception {
    assertThat(invokeAsync("nobody", "/", "").statusCode()).isEqualTo(404);
    HttpResponse<String> large = invokeAsync("counter", "/", "x".repeat(1024 * 1024 + 1));
    assertThat(large.statusCode()).isEqualTo(413);
    HttpResponse<String> badCallback = invokeAsync("counter", "/", "", "Pulse-Callback-Url", "ftp://x/");
    assertThat(badCallback.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(badCallback.body()).getJsonObject("error").getString("field"))
        .isEqualTo("Pulse-Callback-Url");
    assertThat(client.api("GET", "/v1/invocations/0123", "").statusCode()).isEqualTo(404);
  }

  @Test
  void asyncSettings_outOfRange_are400NamingTheField() {
    HttpResponse<String> answer = client.deploy(spec("bad-async", new JsonObject().put("maxAttempts", 0)));

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(answer.body()).getJsonObject("error").getString("field"))
        .isEqualTo("async.maxAttempts");
  }

  @Test
  void cli_invokeAsync_printsTheId_andInvocationGet_showsTheResult() {
    PulseCommandAccess.Result invoked = PulseCommandAccess.run("invoke", "counter", "--async", "-d", "from-cli",
        "--gateway=" + pulse.gatewayUrl());
    assertThat(invoked.code()).as(invoked.err()).isZero();
    String id = invoked.out().strip();
    assertThat(id).matches("[0-9a-f]{32}");

    await().atMost(DONE).until(() -> new JsonObject(PulseCommandAccess.run("invocation", "get", id,
        "--api=" + pulse.apiUrl(), "--token=" + pulse.apiToken()).out()).getString("state").equals("succeeded"));
    JsonObject shown = new JsonObject(PulseCommandAccess.run("invocation", "get", id, "--api=" + pulse.apiUrl(),
        "--token=" + pulse.apiToken()).out());
    assertThat(shown.getJsonObject("result").getString("body")).isEqualTo("done " + id + " 1 from-cli");

    PulseCommandAccess.Result unknown = PulseCommandAccess.run("invocation", "get", "nope", "--api="
        + pulse.apiUrl(), "--token=" + pulse.apiToken());
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("HTTP 404");
  }
}
