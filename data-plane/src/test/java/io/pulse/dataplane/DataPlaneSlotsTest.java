package io.pulse.dataplane;

import static io.pulse.dataplane.FakeControlPlane.instance;
import static io.pulse.dataplane.FakeControlPlane.route;
import static io.pulse.dataplane.TestHttp.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.dataplane.stats.LoadTracker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The per-instance slot limit and least-loaded spreading, observed by the backends themselves. */
class DataPlaneSlotsTest {

  private static DataPlaneFixture fx;
  private static Vertx backends;
  private final List<HoldingBackend> started = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    fx = DataPlaneFixture.start();
    backends = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
    backends.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void releaseBackends() throws Exception {
    for (HoldingBackend backend : started) {
      backend.releaseAll();
      backend.close();
    }
  }

  private HoldingBackend backend(String id) throws Exception {
    HoldingBackend backend = HoldingBackend.start(backends, id);
    started.add(backend);
    return backend;
  }

  @Test
  void slots_neverExceededAndTheRestQueue() throws Exception {
    HoldingBackend a = backend("limit-a");
    fx.controlPlane.upsert(route("limit", 2, instance(a.id(), a.port())));
    fx.awaitInstances("limit", 1);

    List<Future<TestHttp.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      replies.add(fx.http.send(HttpMethod.GET, "/fn/limit/" + i, null, null));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> a.current() == 2
        && fx.metric("pulse_dataplane_queue_length", "function=limit") == 4);
    await().atMost(Duration.ofSeconds(10))
        .until(() -> fx.dataPlane.loadCounts("limit").equals(new LoadTracker.Counts(2, 4, 0)));
    a.releaseAll();
    for (Future<TestHttp.Reply> reply : replies) {
      assertThat(await(reply).status()).isEqualTo(200);
    }
    assertThat(a.max()).isEqualTo(2);
    assertThat(a.served()).isEqualTo(6);
    await().atMost(Duration.ofSeconds(5)).until(
        () -> fx.metric("pulse_dataplane_queue_length", "function=limit") == 0);
    fx.awaitLoadIdle("limit");
  }

  @Test
  void leastLoaded_spreadsAcrossInstances() throws Exception {
    HoldingBackend a = backend("spread-a");
    HoldingBackend b = backend("spread-b");
    fx.controlPlane.upsert(route("spread", 3, instance(a.id(), a.port()), instance(b.id(), b.port())));
    fx.awaitInstances("spread", 2);

    List<Future<TestHttp.Reply>> replies = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      // One at a time, so that each pick sees the previous one's load.
      replies.add(fx.http.send(HttpMethod.GET, "/fn/spread/", null, null));
      int expected = i;
      await().atMost(Duration.ofSeconds(10)).until(() -> a.current() + b.current() == expected);
    }
    assertThat(a.current()).isEqualTo(2);
    assertThat(b.current()).isEqualTo(2);
    a.releaseAll();
    b.releaseAll();
    for (Future<TestHttp.Reply> reply : replies) {
      assertThat(await(reply).status()).isEqualTo(200);
    }
    fx.awaitLoadIdle("spread");
  }

  @Test
  void clientGone_releasesItsSlot() throws Exception {
    HoldingBackend a = backend("gone-a");
    fx.controlPlane.upsert(route("gone", 1, instance(a.id(), a.port())));
    fx.awaitInstances("gone", 1);

    // A client takes the only slot and hangs up while the instance is still working.
    io.vertx.core.http.HttpClient leaving = fx.vertx.createHttpClient();
    RequestOptions options = new RequestOptions().setURI("/fn/gone/")
        .setServer(SocketAddress.inetSocketAddress(fx.dataPlane.httpPort(), "127.0.0.1"));
    leaving.request(options).onSuccess(request -> request.send());
    await().atMost(Duration.ofSeconds(10)).until(() -> a.current() == 1);
    await(leaving.close());

    // The slot comes back: the next request reaches the instance although the first one never got an answer.
    Future<TestHttp.Reply> next = fx.http.send(HttpMethod.GET, "/fn/gone/", null, null);
    await().atMost(Duration.ofSeconds(10)).until(() -> a.current() == 2);
    a.releaseAll();
    assertThat(await(next).status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
        fx.metric("pulse_dataplane_invocations_total", "function=gone", "code=499")).isEqualTo(1));
    fx.awaitLoadIdle("gone");
  }
}
