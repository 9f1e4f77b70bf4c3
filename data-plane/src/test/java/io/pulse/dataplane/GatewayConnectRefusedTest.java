package io.pulse.dataplane;

import static io.pulse.dataplane.FakeControlPlane.instance;
import static io.pulse.dataplane.FakeControlPlane.route;
import static io.pulse.dataplane.TestHttp.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.dataplane.stats.LoadTracker;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Instances the routes still name but nothing listens for (deleted by a new leader before the routes caught up). A
 * request whose connection is refused never reached the function: it goes once to another instance, and new requests
 * avoid the refusing one. Under each forwarding, on client connections past their first request (the byte-level
 * forwarder's to carry): a refused raw attempt is the request's one reroute, accounted once.
 */
@ParameterizedClass
@EnumSource(Forwarding.class)
class GatewayConnectRefusedTest {

  /** In this test class's block of the shared port range (17000-17499): nothing listens there. */
  private static final int DEAD_PORT = 17_001;

  private static DataPlaneFixture fx;
  private static RecordingBackend live;

  @Parameter Forwarding forwarding;
  private double rawBefore;

  @BeforeParameterizedClassInvocation
  static void start(Forwarding forwarding) throws Exception {
    assertNothingListens(DEAD_PORT);
    fx = DataPlaneFixture.start(forwarding);
    live = RecordingBackend.start(fx.vertx);
    fx.warmUp(2); // two: one test sends its second request while the first holds a connection
  }

  @BeforeEach
  void mark() {
    rawBefore = fx.rawExchanges();
  }

  @AfterParameterizedClassInvocation
  static void stop() throws Exception {
    live.close();
    fx.close();
  }

  @Test
  void oneOfTwoInstancesRefuses_everyRequestAnswers200_andTheDeadOneIsAvoidedAfterwards() {
    fx.controlPlane.upsert(route("half", 10, instance("dead-1", DEAD_PORT), instance("live-1", live.port())));
    fx.awaitInstances("half", 2);
    live.forget();

    // Until one request met the dead instance (the balancer rotates, so one does soon).
    int sent = 0;
    while (retries("half") == 0) {
      assertThat(sent).as("a request should have met the dead instance by now").isLessThan(50);
      assertThat(fx.http.get("/fn/half/" + sent).status()).isEqualTo(200);
      sent++;
    }
    assertThat(retries("half")).isEqualTo(1);
    // Afterwards the dead instance is avoided: no more refusals (it stays suspect for seconds; these take ms).
    for (int i = 0; i < 20; i++) {
      assertThat(fx.http.get("/fn/half/after-" + i).status()).isEqualTo(200);
    }
    assertThat(retries("half")).isEqualTo(1);
    // A body goes too: nothing of it had gone to the dead instance.
    TestHttp.Reply post = await(fx.http.send(HttpMethod.POST, "/fn/half/upload", null, Buffer.buffer("payload")));
    assertThat(post.status()).isEqualTo(200);

    assertThat(live.seenLines()).as("every request reached the live instance once").hasSize(sent + 21)
        .doesNotHaveDuplicates().contains("POST /upload payload");
    int requests = sent + 21;
    // The exchange is accounted when it ends, which can be just after the client read the answer.
    await().atMost(Duration.ofSeconds(10))
        .until(() -> fx.metric("pulse_dataplane_invocations_total", "function=half", "code=200") == requests);
    assertThat(fx.metric("pulse_dataplane_invocations_total", "function=half", "code=502")).isZero();
    fx.awaitLoadIdle("half");
    fx.assertForwardedAsConfiguredSince(rawBefore);
  }

  @Test
  void onlyInstanceRefuses_is502AfterOneExtraAttempt() {
    fx.controlPlane.upsert(route("gone", 10, instance("gone-1", DEAD_PORT)));
    fx.awaitInstances("gone", 1);

    TestHttp.Reply reply = fx.http.get("/fn/gone/");
    assertThat(reply.status()).isEqualTo(502);
    String ref = reply.error().getString("ref");
    assertThat(reply.error().getString("message")).contains("'gone'").contains("refused the connection")
        .endsWith("(ref " + ref + ")");
    assertThat(retries("gone")).as("one extra attempt, no loop").isEqualTo(1);
    // The next request is answered the same way, not queued: with no other instance the suspect one is still used.
    assertThat(fx.http.get("/fn/gone/").status()).isEqualTo(502);
    assertThat(retries("gone")).isEqualTo(2);
    await().atMost(Duration.ofSeconds(10))
        .until(() -> fx.metric("pulse_dataplane_invocations_total", "function=gone", "code=502") == 2);
    fx.awaitLoadIdle("gone");
    fx.assertForwardedAsConfiguredSince(rawBefore);
  }

  @Test
  void otherInstancesFull_refusedRequestWaitsInTheQueue_andIsServedWhenASlotFrees() throws Exception {
    try (HoldingBackend busy = HoldingBackend.start(fx.vertx, "busy-1")) {
      // First the live instance alone, its one slot taken; then the routes add an instance nobody listens for.
      fx.controlPlane.upsert(route("full", 1, instance(busy.id(), busy.port())));
      fx.awaitInstances("full", 1);
      Future<TestHttp.Reply> first = fx.http.send(HttpMethod.GET, "/fn/full/1", null, null);
      await().atMost(Duration.ofSeconds(10)).until(() -> busy.current() == 1);
      fx.controlPlane.upsert(route("full", 1, instance("dead-2", DEAD_PORT), instance(busy.id(), busy.port())));
      fx.awaitInstances("full", 2);

      // The only free slot is on the dead instance: refused, then back in the queue behind the busy one.
      Future<TestHttp.Reply> second = fx.http.send(HttpMethod.GET, "/fn/full/2", null, null);
      await().atMost(Duration.ofSeconds(10))
          .until(() -> retries("full") == 1 && fx.metric("pulse_dataplane_queue_length", "function=full") == 1);
      // Rerouted into the queue: counted there once, no longer in flight on the refusing instance.
      await().atMost(Duration.ofSeconds(10))
          .until(() -> fx.dataPlane.loadCounts("full").equals(new LoadTracker.Counts(1, 1, 0)));

      busy.releaseAll();
      assertThat(await(first).status()).isEqualTo(200);
      assertThat(await(second).status()).isEqualTo(200);
      assertThat(busy.served()).isEqualTo(2);
      assertThat(retries("full")).isEqualTo(1);
      fx.awaitLoadIdle("full");
      fx.assertForwardedAsConfiguredSince(rawBefore);
    }
  }

  private static double retries(String function) {
    return fx.metric("pulse_dataplane_retries_total", "function=" + function, "reason=connect_refused");
  }

  private static void assertNothingListens(int port) throws IOException {
    // Binding succeeds only if the port is free; closed again at once, so connections to it are refused.
    try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      assertThat(probe.getLocalPort()).isEqualTo(port);
    }
  }
}
