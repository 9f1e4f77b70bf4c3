package io.pulse.controlplane.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pulse.controlplane.api.json.FunctionSpecParser;
import io.pulse.controlplane.registry.InMemoryFunctionRegistry;
import io.pulse.common.testing.ManualTimers;
import io.pulse.common.time.Timers;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.pulse.controlplane.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The runner with a manual clock and a gateway of the test's: what it sends, stores and when it retries. */
class DispatcherTest {

  private static final Instant T0 = Instant.parse("2026-12-03T12:00:00Z");

  private final ManualClock clock = new ManualClock(T0);
  private final KeptInMemory kept = new KeptInMemory();
  private final List<String> received = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private HttpServer gateway;
  private Dispatcher dispatcher;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    // The first attempt of each invocation fails with 503, the next ones succeed.
    gateway = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      received.add(request.uri() + " " + request.getHeader("Pulse-Invocation-Id") + " " + body);
      boolean first = received.stream().filter(r -> r.startsWith(request.uri() + " ")).count() == 1;
      request.response().setStatusCode(first ? 503 : 200).end(first ? "busy" : "ok");
    })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    InMemoryFunctionRegistry functions = new InMemoryFunctionRegistry(clock);
    functions.create(FunctionSpecParser.parse(new JsonObject().put("name", "f")
        .put("command", new JsonArray().add("x"))
        .put("async", new JsonObject().put("maxAttempts", 3).put("backoffMs", 60_000))))
        .await(10, TimeUnit.SECONDS);
    dispatcher = new Dispatcher(vertx.getOrCreateContext(), kept, functions,
        () -> List.of("http://127.0.0.1:" + gateway.actualPort()), Dispatch.Limits.DEFAULTS, clock,
        AsyncMetrics.register(new PrometheusRegistry(), kept::invocations, clock));
  }

  @AfterEach
  void stop() throws Exception {
    dispatcher.stop();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void failedAttempt_isStoredWithItsRetryTime_andRetriedOnlyOnceTheClockGetsThere() {
    Invocation accepted = Invocation.accepted("i1", "f", "POST", "/x?y=1", List.of(), "aGk=", null, T0);
    kept.accept(accepted);
    dispatcher.start();

    await().atMost(Duration.ofSeconds(30)).until(() -> kept.kept.get("i1").result() != null);
    Invocation waiting = kept.kept.get("i1");
    assertThat(waiting.state()).isEqualTo(InvocationState.QUEUED);
    assertThat(waiting.attempts()).isEqualTo(1);
    assertThat(waiting.result().status()).isEqualTo(503);
    assertThat(waiting.notBefore()).isEqualTo(T0.plusSeconds(60));
    assertThat(received).containsExactly("/fn/f/x?y=1 i1 hi");

    clock.set(T0.plusSeconds(60));
    dispatcher.kick();

    await().atMost(Duration.ofSeconds(30)).until(() -> kept.kept.get("i1").state().finished());
    Invocation done = kept.kept.get("i1");
    assertThat(done.state()).isEqualTo(InvocationState.SUCCEEDED);
    assertThat(done.attempts()).isEqualTo(2);
    assertThat(done.result().body64()).isEqualTo("b2s="); // "ok"
    assertThat(done.finishedAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(received).hasSize(2);
  }

  @Test
  void roundsRunOnTheInjectedTimers_soADueRetryWaitsForTheNextRoundOfTheManualClock() {
    ManualTimers manual = new ManualTimers();
    Context context = vertx.getOrCreateContext();
    // The manual timers are the test's; their actions hop onto the dispatcher's context, as Vert.x timers run there.
    Timers onContext = (delay, action) -> {
      synchronized (manual) {
        Timers.Timer timer = manual.schedule(delay, () -> context.runOnContext(v -> action.run()));
        return () -> {
          synchronized (manual) {
            timer.cancel();
          }
        };
      }
    };
    dispatcher.stop();
    dispatcher = new Dispatcher(context, onContext, kept, new InMemoryFunctionRegistry(clock),
        () -> List.of("http://127.0.0.1:" + gateway.actualPort()), Dispatch.Limits.DEFAULTS, clock,
        AsyncMetrics.register(new PrometheusRegistry(), kept::invocations, clock));
    dispatcher.start();

    await().atMost(Duration.ofSeconds(30)).until(() -> {
      synchronized (manual) {
        return manual.pending().contains(new ManualTimers.Pending(200, 200));
      }
    });
    // Accepted without a kick: only the next round, on the manual timers, finds it (its function is unknown: failed).
    kept.accept(Invocation.accepted("i2", "gone", "POST", "/", List.of(), "", null, T0));
    synchronized (manual) {
      manual.advance(200);
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> kept.kept.get("i2").state().finished());
    assertThat(kept.kept.get("i2").state()).isEqualTo(InvocationState.FAILED);
    synchronized (manual) {
      assertThat(manual.pending()).isNotEmpty(); // the next round
    }
  }
}
