package io.pulse.dataplane;

import static io.pulse.dataplane.FakeControlPlane.instance;
import static io.pulse.dataplane.FakeControlPlane.route;
import static io.pulse.dataplane.TestHttp.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.dataplane.stats.LoadTracker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What happens to waiting requests: queue full, deadline, function removed; and in-flight requests on removal. */
class DataPlaneQueueTest {

  private static final long QUEUE_TIMEOUT_MS = 2000;
  private static DataPlaneFixture fx;
  private static Vertx backends;

  @BeforeAll
  static void start() throws Exception {
    fx = DataPlaneFixture.start(c -> c.withQueueCapacity(3).withQueueTimeoutMs(QUEUE_TIMEOUT_MS));
    backends = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
    backends.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void queueFull_is503WithTheCount() throws Exception {
    try (HoldingBackend a = HoldingBackend.start(backends, "full-a")) {
      fx.controlPlane.upsert(route("full", 1, instance(a.id(), a.port())));
      fx.awaitInstances("full", 1);
      List<Future<TestHttp.Reply>> accepted = new ArrayList<>();
      for (int i = 0; i < 4; i++) { // one in flight, three waiting
        accepted.add(fx.http.send(HttpMethod.GET, "/fn/full/", null, null));
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> a.current() == 1
          && fx.metric("pulse_dataplane_queue_length", "function=full") == 3);

      // One in flight and three queued, each counted once (the tickets move just after the queue does).
      await().atMost(Duration.ofSeconds(5))
          .until(() -> fx.dataPlane.loadCounts("full").equals(new LoadTracker.Counts(1, 3, 0)));
      TestHttp.Reply rejected = fx.http.get("/fn/full/");
      assertThat(rejected.status()).isEqualTo(503);
      assertThat(rejected.error().getString("message")).contains("queue full (3 waiting)");

      a.releaseAll();
      for (Future<TestHttp.Reply> reply : accepted) {
        assertThat(await(reply).status()).isEqualTo(200);
      }
      assertThat(a.max()).isEqualTo(1);
      fx.awaitLoadIdle("full");
    }
  }

  @Test
  void deadline_is504WhenNoInstanceComes() {
    fx.controlPlane.upsert(route("never"));
    fx.awaitInstances("never", 0);
    TestHttp.Reply reply = fx.http.get("/fn/never/");
    assertThat(reply.status()).isEqualTo(504);
    assertThat(reply.error().getString("message"))
        .isEqualTo("no instance of function 'never' became ready within " + QUEUE_TIMEOUT_MS + " ms");
    assertThat(fx.metric("pulse_dataplane_cold_starts_total", "function=never")).isEqualTo(1);
    assertThat(fx.metric("pulse_dataplane_queue_length", "function=never")).isZero();
    // The wait asked the control plane for an instance at once.
    assertThat(fx.controlPlane.reports()).anySatisfy(report -> assertThat(report.getFunctionsList())
        .anySatisfy(load -> {
          assertThat(load.getFunction()).isEqualTo("never");
          assertThat(load.getQueued()).isEqualTo(1);
        }));
    fx.awaitLoadIdle("never");
  }

  @Test
  void deadline_whileTheControlPlaneFindsNoCapacity_is504SayingSoInGeneralWords() {
    fx.controlPlane.upsert(route("crowded").toBuilder().setNoCapacity(true).build());
    await().atMost(Duration.ofSeconds(5)).until(() -> fx.dataPlane.routingTable().route("crowded") != null
        && fx.dataPlane.routingTable().route("crowded").noCapacity());

    TestHttp.Reply reply = fx.http.get("/fn/crowded/");

    assertThat(reply.status()).isEqualTo(504);
    assertThat(reply.error().getString("message")).isEqualTo("no instance of function 'crowded' became ready within "
        + QUEUE_TIMEOUT_MS + " ms: no capacity (no worker has room for an instance)");
    fx.awaitLoadIdle("crowded");
  }

  @Test
  void clientGoneWhileWaiting_leavesTheQueue_andTheCountersBackAtZero() {
    fx.controlPlane.upsert(route("abandoned"));
    fx.awaitInstances("abandoned", 0);
    HttpClient leaving = fx.vertx.createHttpClient();
    RequestOptions options = new RequestOptions().setURI("/fn/abandoned/")
        .setServer(SocketAddress.inetSocketAddress(fx.dataPlane.httpPort(), "127.0.0.1"));
    leaving.request(options).onSuccess(request -> request.send());
    await().atMost(Duration.ofSeconds(5))
        .until(() -> fx.dataPlane.loadCounts("abandoned").equals(new LoadTracker.Counts(0, 1, 0)));

    await(leaving.close());

    await().atMost(Duration.ofSeconds(5)).until(
        () -> fx.metric("pulse_dataplane_invocations_total", "function=abandoned", "code=499") == 1);
    assertThat(fx.metric("pulse_dataplane_queue_length", "function=abandoned")).isZero();
    fx.awaitLoadIdle("abandoned");
  }

  @Test
  void functionRemovedWhileWaiting_is503WithTheReason() {
    fx.controlPlane.upsert(route("doomed"));
    fx.awaitInstances("doomed", 0);
    Future<TestHttp.Reply> waiting = fx.http.send(HttpMethod.GET, "/fn/doomed/", null, null);
    await().atMost(Duration.ofSeconds(5)).until(
        () -> fx.metric("pulse_dataplane_queue_length", "function=doomed") == 1);
    fx.controlPlane.remove("doomed");
    TestHttp.Reply reply = await(waiting);
    assertThat(reply.status()).isEqualTo(503);
    assertThat(reply.error().getString("message")).contains("'doomed' was removed");
    fx.awaitLoadIdle("doomed");
  }

  @Test
  void routeRemovedWhileInFlight_requestsFinishAndNewOnesAre404() throws Exception {
    try (HoldingBackend a = HoldingBackend.start(backends, "going-a")) {
      fx.controlPlane.upsert(route("going", 2, instance(a.id(), a.port())));
      fx.awaitInstances("going", 1);
      Future<TestHttp.Reply> first = fx.http.send(HttpMethod.GET, "/fn/going/1", null, null);
      Future<TestHttp.Reply> second = fx.http.send(HttpMethod.GET, "/fn/going/2", null, null);
      await().atMost(Duration.ofSeconds(5)).until(() -> a.current() == 2);

      fx.controlPlane.remove("going");
      await().atMost(Duration.ofSeconds(5)).until(() -> fx.dataPlane.routingTable().route("going") == null);
      assertThat(fx.http.get("/fn/going/3").status()).isEqualTo(404);

      a.releaseAll();
      assertThat(await(first).status()).isEqualTo(200);
      assertThat(await(second).status()).isEqualTo(200);
      fx.awaitLoadIdle("going");
    }
  }
}
