package io.pulse.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.controlplane.api.ClusterView.ClusterInfo;
import io.pulse.controlplane.api.ClusterView.InstanceView;
import io.pulse.controlplane.instances.LogLine;
import io.pulse.controlplane.registry.FunctionRegistry;
import io.pulse.controlplane.registry.InMemoryFunctionRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** GET /v1/functions/{name}/logs over real HTTP, with a fake cluster whose workers answer set lines. */
@ExtendWith(VertxExtension.class)
class LogRoutesTest {

  private static final Instant T = Instant.parse("2026-01-31T12:00:00Z");

  private FakeClusterView cluster;
  private HttpServer server;
  private WebClient client;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    cluster = new FakeClusterView();
    FunctionRegistry registry = new InMemoryFunctionRegistry(Clock.systemUTC());
    server = result(vertx.createHttpServer().requestHandler(RestApi.router(vertx, registry, cluster)).listen(0));
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("localhost")
        .setDefaultPort(server.actualPort()));
    assertThat(result(client.post("/v1/functions").sendJsonObject(RestApiTest.spec("web"))).statusCode())
        .isEqualTo(201);
    cluster.instances = Map.of("web", List.of(instance("web-r1", "regular", "w-1"),
        instance("web-e1", "emergency", "w-2"), instance("web-r2", "regular", "w-3")));
    cluster.logs = Map.of(
        "web-r1", List.of(line(1, "r1 first"), line(3, "r1 third")),
        "web-e1", List.of(line(2, "e1 second"), line(4, "e1 fourth")));
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    result(server.close());
  }

  @Test
  void logs_mergesTheInstancesByTime_tagsEachLine_andListsWhatCouldNotBeRead() throws Exception {
    HttpResponse<Buffer> response = get("/v1/functions/web/logs?tail=3&since=" + T.toEpochMilli());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(cluster.lastLogQuery).isEqualTo("tail=3 since=" + T.toEpochMilli());
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getJsonArray("lines")).isEqualTo(new JsonArray()
        .add(tagged(2, "web-e1", "emergency", "w-2", "e1 second"))
        .add(tagged(3, "web-r1", "regular", "w-1", "r1 third"))
        .add(tagged(4, "web-e1", "emergency", "w-2", "e1 fourth")));
    assertThat(body.getJsonArray("errors")).hasSize(1);
    assertThat(body.getJsonArray("errors").getJsonObject(0).getString("instance")).isEqualTo("web-r2");
    assertThat(body.getJsonArray("errors").getJsonObject(0).getString("message")).contains("UNIMPLEMENTED");
  }

  @Test
  void logs_ofOneInstance_askOnlyIt_andSinceTakesAnRfc3339Time() throws Exception {
    HttpResponse<Buffer> response = get("/v1/functions/web/logs?instance=web-r1&since=2026-01-31T12:00:00Z");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(cluster.lastLogQuery).isEqualTo("tail=100 since=" + T.toEpochMilli());
    assertThat(response.bodyAsJsonObject().getJsonArray("lines").stream().map(l -> ((JsonObject) l).getString("text")))
        .containsExactly("r1 first", "r1 third");
    assertThat(response.bodyAsJsonObject().getJsonArray("errors")).isEmpty();
  }

  @Test
  void logs_badQuery_unknownFunctionOrInstance_andAFollower_areRefused() throws Exception {
    assertError(get("/v1/functions/web/logs?tail=0"), 400, "tail");
    assertError(get("/v1/functions/web/logs?tail=many"), 400, "tail");
    assertError(get("/v1/functions/web/logs?since=yesterday"), 400, "since");
    assertError(get("/v1/functions/nope/logs"), 404, null);
    assertError(get("/v1/functions/web/logs?instance=web-r9"), 404, "instance");
    cluster.cluster = new ClusterInfo("cp-2", List.of("cp-1", "cp-2"), "cp-1", 1, null, "127.0.0.1:8101");
    HttpResponse<Buffer> follower = get("/v1/functions/web/logs");
    assertError(follower, 503, null);
    assertThat(follower.getHeader("Pulse-Leader")).isEqualTo("http://127.0.0.1:8101");
  }

  @Test
  void follow_sendsTheTailThenOnlyNewLines_reportsAFailingInstanceOnce_andEndsWhenTheFunctionIsDeleted(Vertx vertx)
      throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    AtomicBoolean ended = new AtomicBoolean();
    StringBuilder partial = new StringBuilder();
    HttpClient http = vertx.createHttpClient();
    // Handlers set as the head arrives, on the event loop, so that no chunk comes before them.
    io.vertx.core.http.HttpClientResponse response = result(http.request(HttpMethod.GET, server.actualPort(),
        "localhost", "/v1/functions/web/logs?follow=true&tail=3").compose(r -> r.send()).onSuccess(r -> {
          r.handler(chunk -> {
            partial.append(chunk.toString());
            int newline;
            while ((newline = partial.indexOf("\n")) >= 0) {
              String line = partial.substring(0, newline);
              partial.delete(0, newline + 1);
              if (!line.isBlank()) {
                JsonObject json = new JsonObject(line);
                received.add(json.containsKey("error") ? "error " + json.getString("instance")
                    : json.getString("text"));
              }
            }
          });
          r.endHandler(v -> ended.set(true));
        }));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/x-ndjson");

    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 4);
    assertThat(received).containsExactly("e1 second", "r1 third", "e1 fourth", "error web-r2");
    // r1 prints another line in the very millisecond of its last one, and one later.
    cluster.logs = Map.of(
        "web-r1", List.of(line(1, "r1 first"), line(3, "r1 third"), line(3, "r1 third again"), line(5, "r1 fifth")),
        "web-e1", List.of(line(2, "e1 second"), line(4, "e1 fourth")));
    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 6);
    assertThat(received.subList(4, 6)).containsExactly("r1 third again", "r1 fifth");

    assertThat(result(client.delete("/v1/functions/web").send()).statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).untilTrue(ended);
    assertThat(received).hasSize(6);
    result(http.close());
  }

  @Test
  void follow_mustBeTrueOrFalse() throws Exception {
    assertError(get("/v1/functions/web/logs?follow=yes"), 400, "follow");
  }

  private HttpResponse<Buffer> get(String path) throws Exception {
    return result(client.get(path).send());
  }

  private static void assertError(HttpResponse<Buffer> response, int status, String field) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.bodyAsJsonObject().getJsonObject("error").getString("field")).isEqualTo(field);
  }

  private static InstanceView instance(String id, String kind, String worker) {
    return new InstanceView(id, "web", 1, kind, "ready", worker, "127.0.0.1:1", T, T, 1.0);
  }

  private static LogLine line(int seconds, String text) {
    return new LogLine(T.plusSeconds(seconds).toEpochMilli(), text);
  }

  private static JsonObject tagged(int seconds, String instance, String kind, String worker, String text) {
    return new JsonObject().put("time", T.plusSeconds(seconds).toString()).put("instance", instance)
        .put("kind", kind).put("worker", worker).put("text", text);
  }

  private static <T> T result(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
