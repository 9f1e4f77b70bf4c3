package io.pulse.common.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pulse.common.net.HostPort;
import io.pulse.common.testing.RawHttp;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin endpoints as every component's admin port serves them: answers, HEAD, and errors in the JSON shape. */
class AdminRoutesTest {

  private Vertx vertx;
  private WebClient client;
  private HttpServer server;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Readiness readiness = new Readiness();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    client = WebClient.create(vertx);
    server = AdminServer.start(vertx, new HostPort("127.0.0.1", 0), registry, readiness).await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private HttpResponse<Buffer> get(String path) {
    return client.get(server.actualPort(), "127.0.0.1", path).send().await();
  }

  @Test
  void metrics_servesRegisteredMetricsAsPrometheusText() {
    Counter.builder().name("pulse_test_events_total").help("test").register(registry).inc(3);
    HttpResponse<Buffer> response = get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("text/plain");
    assertThat(response.bodyAsString()).contains("pulse_test_events_total 3.0");
  }

  @Test
  void readyz_reportsEveryFailingCheckUntilAllPass() {
    AtomicReference<String> reason = new AtomicReference<>("not registered yet");
    readiness.register("worker", reason::get);
    readiness.register("data-plane", () -> null);

    HttpResponse<Buffer> notReady = get("/readyz");
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(notReady.getHeader("Content-Type")).isEqualTo("application/json");
    JsonObject error = notReady.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getInteger("status")).isEqualTo(503);
    assertThat(error.getString("message")).isEqualTo("not ready: worker: not registered yet");
    assertThat(error.getJsonArray("reasons").getList()).containsExactly("worker: not registered yet");

    reason.set(null);
    assertThat(get("/readyz").statusCode()).isEqualTo(200);
    assertThat(get("/healthz").bodyAsJsonObject().getString("status")).isEqualTo("ok");
  }

  @Test
  void unknownRoute_isJson404() {
    assertJsonError(get("/metricz"), 404, "no route for GET /metricz");
  }

  @Test
  void wrongMethod_isJson405WithAllow() {
    HttpResponse<Buffer> response = client.post(server.actualPort(), "127.0.0.1", "/healthz").send().await();
    assertJsonError(response, 405, "method POST is not allowed on /healthz");
    assertThat(response.getHeader("Allow")).isEqualTo("GET, HEAD");
  }

  @Test
  void oversizedHeaders_isJson431AndTheConnectionIsClosed() {
    List<RawHttp.Response> responses = RawHttp.exchange(server.actualPort(),
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + "x".repeat(10_000) + "\r\n\r\n");
    assertThat(responses).hasSize(1);
    assertJsonError(responses.getFirst(), 431);
  }

  @Test
  void malformedRequestLine_isJson400AndTheConnectionIsClosed() {
    List<RawHttp.Response> responses = RawHttp.exchange(server.actualPort(), "GET /healthz\r\n\r\n");
    assertThat(responses).hasSize(1);
    assertJsonError(responses.getFirst(), 400);
  }

  @Test
  void head_answersLikeGetWithoutABody() {
    readiness.register("worker", () -> "not registered yet");
    for (String path : List.of("/healthz", "/metrics", "/readyz", "/nothing")) {
      HttpResponse<Buffer> get = get(path);
      RawHttp.Response head = RawHttp.head(server.actualPort(),
          "HEAD " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      assertThat(head.status()).as(path).isEqualTo(get.statusCode());
      assertThat(head.header("Content-Type")).as(path).isEqualTo(get.getHeader("Content-Type"));
      assertThat(head.body()).as(path).isEmpty();
      if (path.endsWith("z")) { // a scrape changes between two requests; a 404 names the method
        assertThat(head.header("Content-Length")).as(path).isEqualTo(get.getHeader("Content-Length"));
      }
    }
  }

  private static void assertJsonError(HttpResponse<Buffer> response, int status, String message) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getInteger("status")).isEqualTo(status);
    assertThat(error.getString("message")).isEqualTo(message);
  }

  private static void assertJsonError(RawHttp.Response response, int status) {
    assertThat(response.status()).isEqualTo(status);
    assertThat(response.header("Content-Type")).isEqualTo("application/json");
    assertThat(new JsonObject(response.body()).getJsonObject("error").getInteger("status")).isEqualTo(status);
    assertThat(response.header("Connection")).isEqualTo("close");
  }

  @Test
  void readyz_treatsAThrowingCheckAsNotReady() {
    readiness.register("broken", () -> {
      throw new IllegalStateException("boom");
    });
    assertThat(get("/readyz").bodyAsString()).contains("broken: check failed").contains("boom");
  }
}
