package io.pulse.bench.experiment;

import static io.pulse.bench.experiment.TraceExperiment.round;

import io.pulse.bench.driver.ApiClient;
import io.pulse.bench.driver.PulseLauncher;
import io.pulse.bench.driver.PulseSetup;
import io.pulse.bench.driver.RunningPulse;
import io.pulse.bench.report.ReportFiles;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Async invocations in one run: {@code invocations} requests sent to {@code /async/fn/...} by {@code connections}
 * closed loops (accepted/s: 202s over the time to send them all), each running {@code functionMs} in the function
 * (fake runtime, {@code ?sleep=}), with {@code concurrency} at once; completions are counted as their callbacks
 * arrive at a server of the bench's (completed/s: invocations over the time from the first send to the last
 * callback). The ceiling of completed/s is {@code concurrency * 1000 / functionMs}.
 */
public final class AsyncExperiment {

  public record Options(int invocations, int connections, int functionMs, int concurrency, String runtime,
      java.nio.file.Path out, String command) {}

  private static final String FUNCTION = "async-bench";

  private AsyncExperiment() {}

  public static JsonObject run(Options options, PulseLauncher launcher, PrintStream out) {
    PulseSetup setup = new PulseSetup(options.runtime(), "kpa", "0", 1, 2_000, 60_000, 256_000, 1_048_576, true,
        1_000);
    Vertx vertx = Vertx.vertx();
    Map<String, Long> completedAt = new ConcurrentHashMap<>();
    Set<String> failed = ConcurrentHashMap.newKeySet();
    AtomicInteger duplicates = new AtomicInteger();
    try (RunningPulse pulse = launcher.start(setup)) {
      CountDownLatch allDone = new CountDownLatch(options.invocations());
      HttpServer callbacks = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
        JsonObject result = body.toJsonObject();
        String id = result.getString("id");
        if (completedAt.putIfAbsent(id, System.nanoTime()) == null) {
          if (!"succeeded".equals(result.getString("state"))) {
            failed.add(id);
          }
          allDone.countDown();
        } else {
          duplicates.incrementAndGet();
        }
        request.response().setStatusCode(204).end();
      })).listen(0, "127.0.0.1").await();
      String callbackUrl = "http://127.0.0.1:" + callbacks.actualPort() + "/done";
      ApiClient api = new ApiClient(pulse.apiUrl(), pulse.apiToken());
      int instances = Math.max(1, options.concurrency());
      api.deploy(new JsonObject().put("name", FUNCTION).put("command", new JsonArray().add("fake"))
          .put("resources", new JsonObject().put("cpuMillis", 10).put("memoryMiB", 16))
          .put("scaling", new JsonObject().put("policy", "kpa").put("minScale", instances).put("maxScale", instances))
          .put("async", new JsonObject().put("concurrency", options.concurrency()).put("backoffMs", 100)));
      awaitInstances(api, instances);
      URI gateway = URI.create(pulse.gatewayUrl());
      HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
          new PoolOptions().setHttp1MaxSize(options.connections()));
      RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost(gateway.getHost())
          .setPort(gateway.getPort()).setURI("/async/fn/" + FUNCTION + "/?sleep=" + options.functionMs())
          .putHeader("Pulse-Callback-Url", callbackUrl).setTimeout(30_000);
      AtomicInteger next = new AtomicInteger();
      AtomicInteger accepted = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      AtomicLong lastAccepted = new AtomicLong();
      CountDownLatch sent = new CountDownLatch(options.connections());
      long start = System.nanoTime();
      for (int c = 0; c < options.connections(); c++) {
        send(client, request, options.invocations(), next, accepted, refused, lastAccepted, sent, allDone);
      }
      sent.await(10, TimeUnit.MINUTES);
      out.printf("async: %d accepted, %d refused; waiting for completions%n", accepted.get(), refused.get());
      allDone.await(30, TimeUnit.MINUTES);
      long lastCompleted = completedAt.values().stream().mapToLong(Long::longValue).max().orElse(start);
      double acceptSeconds = (lastAccepted.get() - start) / 1e9;
      double completeSeconds = (lastCompleted - start) / 1e9;
      JsonObject summary = new JsonObject().put("experiment", "async").put("command", options.command())
          .put("runtime", options.runtime()).put("invocations", options.invocations())
          .put("connections", options.connections()).put("functionMs", options.functionMs())
          .put("concurrency", options.concurrency())
          .put("accepted", accepted.get()).put("refused", refused.get())
          .put("completed", completedAt.size()).put("failed", failed.size()).put("duplicateCallbacks", duplicates.get())
          .put("acceptedPerSecond", round(accepted.get() / acceptSeconds))
          .put("completedPerSecond", round(completedAt.size() / completeSeconds))
          .put("completedCeilingPerSecond", round(options.concurrency() * 1000.0 / options.functionMs()));
      ReportFiles.summary(options.out(), summary);
      ReportFiles.html(options.out(), "Pulse async invocations", options.command(), summary, Map.of());
      return summary;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      vertx.close().await();
    }
  }

  /** One closed loop: sends the next invocation when the previous one was answered; a refusal counts but ends it. */
  private static void send(HttpClient client, RequestOptions request, int total, AtomicInteger next,
      AtomicInteger accepted, AtomicInteger refused, AtomicLong lastAccepted, CountDownLatch sent,
      CountDownLatch allDone) {
    if (next.getAndIncrement() >= total) {
      sent.countDown();
      return;
    }
    client.request(request).compose(r -> r.send("x").compose(response -> response.body().map(response.statusCode())))
        .onComplete(ar -> {
          if (ar.succeeded() && ar.result() == 202) {
            accepted.incrementAndGet();
            lastAccepted.set(System.nanoTime());
          } else {
            refused.incrementAndGet();
            allDone.countDown(); // never completes
          }
          send(client, request, total, next, accepted, refused, lastAccepted, sent, allDone);
        });
  }

  private static void awaitInstances(ApiClient api, int count) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      JsonArray instances = api.get("/v1/functions/" + FUNCTION + "/instances").getJsonArray("instances");
      long ready = instances.stream().map(JsonObject.class::cast)
          .filter(i -> "ready".equals(i.getString("state"))).count();
      if (ready >= count) {
        return;
      }
      TraceExperiment.awaitQuietly(100);
    }
    throw new IllegalStateException("function '" + FUNCTION + "' has not " + count + " ready instances after 120 s");
  }
}
