package io.pulse.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pulse.common.admin.Readiness;
import io.pulse.common.net.HostPort;
import io.pulse.common.vertx.ComponentVertx;
import io.pulse.common.vertx.NetTransport;
import io.pulse.dataplane.stats.LoadTracker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A running data plane wired to a {@link FakeControlPlane}, on free ports, with a client. The blocked-thread checker
 * is tightened so that blocking an event loop shows up in the test output.
 */
final class DataPlaneFixture implements AutoCloseable {

  final Vertx vertx;
  final FakeControlPlane controlPlane;
  final PrometheusRegistry registry = new PrometheusRegistry();
  final Readiness readiness = new Readiness();
  final DataPlane dataPlane;
  final TestHttp http;
  final Forwarding forwarding;

  /** The event loops run on what `pulse data-plane` runs on by default: io_uring where offered, else epoll. */
  private DataPlaneFixture(UnaryOperator<DataPlaneConfig> tweak) throws Exception {
    this(tweak, NetTransport.AUTO);
  }

  private DataPlaneFixture(UnaryOperator<DataPlaneConfig> tweak, NetTransport transport) throws Exception {
    VertxOptions options = new VertxOptions().setMaxEventLoopExecuteTime(200).setMaxEventLoopExecuteTimeUnit(
        TimeUnit.MILLISECONDS).setBlockedThreadCheckInterval(100).setPreferNativeTransport(true);
    vertx = ComponentVertx.create(options, transport);
    controlPlane = FakeControlPlane.start();
    DataPlaneConfig config = tweak.apply(DataPlaneConfig.defaults()
        .withDataPlaneId("dp-test")
        .withHttpBind(new HostPort("127.0.0.1", 0))
        .withControlPlane(List.of(controlPlane.address()))
        .withEventLoops(2));
    forwarding = config.forwarding();
    dataPlane = DataPlane.start(vertx, config, registry, readiness).toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    http = new TestHttp(vertx, dataPlane.httpPort());
  }

  static DataPlaneFixture start() throws Exception {
    return new DataPlaneFixture(c -> c);
  }

  static DataPlaneFixture start(UnaryOperator<DataPlaneConfig> tweak) throws Exception {
    return new DataPlaneFixture(tweak);
  }

  /** A data plane whose gateway forwards as {@code forwarding} says (tests that run under each forwarding). */
  static DataPlaneFixture start(Forwarding forwarding) throws Exception {
    return start(forwarding, c -> c);
  }

  static DataPlaneFixture start(Forwarding forwarding, UnaryOperator<DataPlaneConfig> tweak) throws Exception {
    return new DataPlaneFixture(c -> tweak.apply(c.withForwarding(forwarding)));
  }

  /** A data plane whose event loops run on {@code transport} (epoll or io_uring by name). */
  static DataPlaneFixture start(NetTransport transport, UnaryOperator<DataPlaneConfig> tweak)
      throws Exception {
    return new DataPlaneFixture(tweak, transport);
  }

  /**
   * Sends a request the gateway answers itself (404) on the test client's pooled connection, so that the connection is
   * past its first request, which Vert.x always serves: with raw forwarding the next requests on it are the byte-level
   * forwarder's to carry.
   */
  void warmUp() {
    warmUp(1);
  }

  /** {@link #warmUp()} on {@code connections} pooled connections: as many requests at once. */
  void warmUp(int connections) {
    List<Future<TestHttp.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      replies.add(http.send(HttpMethod.GET, "/warm-up", null, null));
    }
    for (Future<TestHttp.Reply> reply : replies) {
      assertThat(TestHttp.await(reply).status()).isEqualTo(404);
    }
  }

  /** Requests the byte-level forwarder carried so far ({@code pulse_dataplane_raw_exchanges_total}). */
  double rawExchanges() {
    return metric("pulse_dataplane_raw_exchanges_total");
  }

  /**
   * With raw forwarding, that the byte-level forwarder carried requests since it had carried {@code before} (the raw
   * case really ran raw); with Vert.x forwarding, that it carried none.
   */
  void assertForwardedAsConfiguredSince(double before) {
    if (forwarding == Forwarding.RAW) {
      assertThat(rawExchanges()).as("requests the byte-level forwarder carried").isGreaterThan(before);
    } else {
      assertThat(rawExchanges()).as("requests the byte-level forwarder carried").isZero();
    }
  }

  /** Waits until the data plane routes {@code function} with {@code instances} ready instances. */
  void awaitInstances(String function, int instances) {
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      var route = dataPlane.routingTable().route(function);
      return route != null && route.instances().size() == instances;
    });
  }

  /**
   * Waits until no request of {@code function} holds anything in the load counters (they are given back after the
   * answer is sent), checking on the way that none is ever negative.
   */
  void awaitLoadIdle(String function) {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      LoadTracker.Counts counts = dataPlane.loadCounts(function);
      assertThat(List.of(counts.inFlight(), counts.queued(), counts.emergency()))
          .as("load counters of %s: %s", function, counts).allSatisfy(n -> assertThat(n).isNotNegative());
      assertThat(counts).as("load counters of %s", function).isEqualTo(LoadTracker.Counts.ZERO);
    });
  }

  void awaitReady() {
    await().atMost(Duration.ofSeconds(10)).until(() -> readiness.notReadyReasons().isEmpty());
  }

  /** The value of a sample in the Prometheus registry (0 when absent). */
  double metric(String name, String... labels) {
    return MetricsProbe.value(registry, name, labels);
  }

  @Override
  public void close() throws Exception {
    try {
      dataPlane.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      controlPlane.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
