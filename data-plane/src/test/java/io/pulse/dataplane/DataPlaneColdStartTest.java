package io.pulse.dataplane;

import static io.pulse.dataplane.FakeControlPlane.instance;
import static io.pulse.dataplane.FakeControlPlane.route;
import static io.pulse.dataplane.TestHttp.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.api.v1.FunctionLoad;
import io.pulse.api.v1.LoadReport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scale from zero, end to end: the first request parks, the data plane reports the queued request at once, the
 * (fake) control plane starts an instance and pushes its route, and the parked requests are served. Periodic reports
 * are an hour apart here, so only the immediate report can have started the instance.
 */
class DataPlaneColdStartTest {

  private static DataPlaneFixture fx;
  private static Vertx backends;
  private static final List<AutoCloseable> cleanup = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    fx = DataPlaneFixture.start(c -> c.withReportIntervalMs(3_600_000));
    backends = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : cleanup) {
      c.close();
    }
    fx.close();
    backends.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** The fake control plane's reaction to the first report with queued requests for {@code function}. */
  private static void onFirstQueuedReport(String function, Consumer<FunctionLoad> scaleUp) {
    AtomicBoolean scaled = new AtomicBoolean();
    fx.controlPlane.onReport(report -> report.getFunctionsList().stream()
        .filter(load -> load.getFunction().equals(function) && load.getQueued() > 0)
        .findFirst()
        .filter(load -> scaled.compareAndSet(false, true))
        // Off the gRPC thread: starting an instance takes a while, the report's answer must not wait for it.
        .ifPresent(load -> Executors.newVirtualThreadPerTaskExecutor().execute(() -> scaleUp.accept(load))));
  }

  @Test
  void scaleFromZero_firstRequestServedByTheNewInstance() {
    fx.controlPlane.upsert(route("hello"));
    fx.awaitInstances("hello", 0);
    List<FunctionLoad> trigger = new CopyOnWriteArrayList<>();
    onFirstQueuedReport("hello", load -> {
      trigger.add(load);
      HelloProcess hello = HelloProcess.start("hello-cold-1");
      cleanup.add(hello);
      fx.controlPlane.upsert(route("hello", 1, instance(hello.id(), hello.port())));
    });

    TestHttp.Reply reply = fx.http.get("/fn/hello/?who=first");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.instance()).isEqualTo("hello-cold-1");
    assertThat(trigger).singleElement().satisfies(load -> {
      assertThat(load.getQueued()).isEqualTo(1);
      assertThat(load.getArrivals()).isEqualTo(1);
    });
    assertThat(fx.metric("pulse_dataplane_cold_starts_total", "function=hello")).isEqualTo(1);
    assertThat(fx.metric("pulse_dataplane_cold_start_wait_seconds_count", "function=hello")).isEqualTo(1);
    fx.awaitLoadIdle("hello");
  }

  @Test
  void scaleFromZero_aReportLostToAFailover_isRetriedWithoutWaitingForTheInterval() {
    // Reports are an hour apart here: only the quick retry can tell the control plane about this request.
    fx.controlPlane.upsert(route("retried"));
    fx.awaitInstances("retried", 0);
    fx.controlPlane.failNextReports(1);
    onFirstQueuedReport("retried", load -> {
      HelloProcess hello = HelloProcess.start("hello-retried-1");
      cleanup.add(hello);
      fx.controlPlane.upsert(route("retried", 1, instance(hello.id(), hello.port())));
    });

    TestHttp.Reply reply = fx.http.get("/fn/retried/");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.instance()).isEqualTo("hello-retried-1");
  }

  @Test
  void fiftyConcurrentFirstRequests_allServedExactlyOnce() throws Exception {
    fx.controlPlane.upsert(route("burst"));
    fx.awaitInstances("burst", 0);
    Map<String, AtomicInteger> servedById = new ConcurrentHashMap<>();
    onFirstQueuedReport("burst", load -> {
      // The "instance": counts every request it serves, by the id the test gave it.
      HttpServer server = await(backends.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
        servedById.computeIfAbsent(req.getParam("id"), k -> new AtomicInteger()).incrementAndGet();
        req.response().end(body);
      })).listen(0, "127.0.0.1"));
      cleanup.add(() -> await(server.close()));
      fx.controlPlane.upsert(route("burst", 8, instance("burst-1", server.actualPort())));
    });

    List<Future<TestHttp.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      replies.add(fx.http.send(HttpMethod.POST, "/fn/burst/?id=" + i, null, Buffer.buffer("request-" + i)));
    }
    for (int i = 0; i < 50; i++) {
      TestHttp.Reply reply = await(replies.get(i));
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.text()).isEqualTo("request-" + i);
    }
    assertThat(servedById).hasSize(50);
    assertThat(servedById.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
  }
}
