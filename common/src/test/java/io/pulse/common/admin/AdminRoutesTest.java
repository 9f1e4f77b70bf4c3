package io.pulse.common.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pulse.common.net.HostPort;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
    assertThat(notReady.bodyAsJsonObject().getJsonArray("reasons").getList())
        .containsExactly("worker: not registered yet");

    reason.set(null);
    assertThat(get("/readyz").statusCode()).isEqualTo(200);
    assertThat(get("/healthz").bodyAsJsonObject().getString("status")).isEqualTo("ok");
  }

  @Test
  void readyz_treatsAThrowingCheckAsNotReady() {
    readiness.register("broken", () -> {
      throw new IllegalStateException("boom");
    });
    assertThat(get("/readyz").bodyAsString()).contains("broken: check failed").contains("boom");
  }
}
