package io.pulse.dataplane;

import static io.pulse.dataplane.FakeControlPlane.instance;
import static io.pulse.dataplane.FakeControlPlane.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The route watcher against a control plane that goes away and comes back. */
class DataPlaneReconnectTest {

  @Test
  void restart_watcherReconnectsAndTakesTheNewSnapshot() throws Exception {
    Vertx backends = Vertx.vertx();
    try (DataPlaneFixture fx = DataPlaneFixture.start();
        HoldingBackend a = HoldingBackend.start(backends, "old-a");
        HoldingBackend b = HoldingBackend.start(backends, "new-b")) {
      a.releaseAll();
      b.releaseAll();
      fx.controlPlane.upsert(route("old", 1, instance(a.id(), a.port())));
      fx.awaitInstances("old", 1);
      assertThat(fx.http.get("/fn/old/").status()).isEqualTo(200);

      fx.controlPlane.stop();
      // While it is away, the last table keeps serving.
      assertThat(fx.http.get("/fn/old/").status()).isEqualTo(200);
      fx.controlPlane.replaceSilently(List.of(route("new", 1, instance(b.id(), b.port()))));
      fx.controlPlane.restart();

      await().atMost(Duration.ofSeconds(10)).until(() -> fx.dataPlane.routingTable().route("new") != null);
      assertThat(fx.dataPlane.routingTable().route("old")).isNull();
      assertThat(fx.controlPlane.watchCalls()).isGreaterThanOrEqualTo(1);
      assertThat(fx.http.get("/fn/old/").status()).isEqualTo(404);
      TestHttp.Reply reply = fx.http.get("/fn/new/");
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.instance()).isEqualTo("new-b");
    } finally {
      backends.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void beforeTheFirstSnapshot_notReadyAnd503() throws Exception {
    try (DataPlaneFixture fx = DataPlaneFixture.start(c -> c)) {
      fx.awaitReady();
      // A second data plane whose control plane is down from the start.
      FakeControlPlane down = FakeControlPlane.start();
      down.stop();
      var readiness = new io.pulse.common.admin.Readiness();
      DataPlane lonely = DataPlane.start(fx.vertx, DataPlaneConfig.defaults()
              .withHttpBind(new io.pulse.common.net.HostPort("127.0.0.1", 0))
              .withControlPlane(List.of(down.address())).withEventLoops(1),
          new io.prometheus.metrics.model.registry.PrometheusRegistry(), readiness)
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      try {
        assertThat(readiness.notReadyReasons()).singleElement().asString().startsWith("data-plane: ");
        TestHttp.Reply reply = new TestHttp(fx.vertx, lonely.httpPort()).get("/fn/any/");
        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.error().getString("message")).contains("no routing table yet");

        down.restart();
        await().atMost(Duration.ofSeconds(10)).until(() -> readiness.notReadyReasons().isEmpty());
        assertThat(new TestHttp(fx.vertx, lonely.httpPort()).get("/fn/any/").status()).isEqualTo(404);
      } finally {
        lonely.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        down.close();
      }
    }
  }
}
