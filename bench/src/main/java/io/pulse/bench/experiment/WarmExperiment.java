package io.pulse.bench.experiment;

import static io.pulse.bench.experiment.TraceExperiment.round;

import io.pulse.bench.driver.ApiClient;
import io.pulse.bench.driver.PulseLauncher;
import io.pulse.bench.driver.PulseSetup;
import io.pulse.bench.driver.RunningPulse;
import io.pulse.bench.report.Charts;
import io.pulse.bench.report.ReportFiles;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Warm-path overhead: closed-loop load with {@code connections} outstanding requests, alternately straight to one
 * warm instance and through the data plane to the same instance, in equal slices; latencies in HdrHistogram.
 */
public final class WarmExperiment {

  public record Options(int connections, int seconds, int rounds, String runtime, Path out, String command) {}

  private WarmExperiment() {}

  public static JsonObject run(Options options, PulseLauncher launcher, PrintStream out) {
    PulseSetup setup = new PulseSetup(options.runtime(), "kpa", "0", 1, 2_000, 60_000, 256_000, 1_048_576, true, 1_000);
    Histogram direct = new Histogram(60_000_000_000L, 3);
    Histogram pulseHistogram = new Histogram(60_000_000_000L, 3);
    long[] counts = new long[2];
    double[] seconds = new double[2];
    try (RunningPulse pulse = launcher.start(setup)) {
      ApiClient api = new ApiClient(pulse.apiUrl(), pulse.apiToken());
      api.deploy(new JsonObject().put("name", "warm").put("command", new JsonArray(List.of("fake")))
          .put("resources", new JsonObject().put("cpuMillis", 100).put("memoryMiB", 64))
          .put("scaling", new JsonObject().put("policy", "kpa").put("minScale", 1).put("maxScale", 1)
              .put("targetConcurrency", Math.max(1, options.connections() * 2))));
      String endpoint = awaitEndpoint(api);
      URI gateway = URI.create(pulse.gatewayUrl());
      String[] hostPort = endpoint.split(":");
      Vertx vertx = Vertx.vertx();
      try {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
            new PoolOptions().setHttp1MaxSize(options.connections()));
        long slice = Math.max(1, options.seconds() * 1_000L / (2L * options.rounds()));
        // Warm both paths (JIT, connections) before measuring.
        load(client, hostPort[0], Integer.parseInt(hostPort[1]), "/", options.connections(), 1_000, null);
        load(client, gateway.getHost(), gateway.getPort(), "/fn/warm/", options.connections(), 1_000, null);
        for (int round = 0; round < options.rounds(); round++) {
          out.printf("\rwarm: round %d/%d   ", round + 1, options.rounds());
          counts[0] += load(client, hostPort[0], Integer.parseInt(hostPort[1]), "/", options.connections(), slice,
              direct);
          seconds[0] += slice / 1e3;
          counts[1] += load(client, gateway.getHost(), gateway.getPort(), "/fn/warm/", options.connections(), slice,
              pulseHistogram);
          seconds[1] += slice / 1e3;
        }
        out.println();
      } finally {
        vertx.close().await();
      }
    }
    double directRps = counts[0] / seconds[0];
    double pulseRps = counts[1] / seconds[1];
    double directP50 = direct.getValueAtPercentile(50) / 1e3;
    double pulseP50 = pulseHistogram.getValueAtPercentile(50) / 1e3;
    JsonObject summary = new JsonObject().put("experiment", "warm").put("command", options.command())
        .put("runtime", options.runtime()).put("connections", options.connections())
        .put("directRps", round(directRps)).put("pulseRps", round(pulseRps)).put("ratio", round(pulseRps / directRps))
        .put("directP50Us", round(directP50)).put("pulseP50Us", round(pulseP50))
        .put("addedP50Us", round(pulseP50 - directP50))
        .put("directP99Us", round(direct.getValueAtPercentile(99) / 1e3))
        .put("pulseP99Us", round(pulseHistogram.getValueAtPercentile(99) / 1e3))
        .put("addedP99Us", round((pulseHistogram.getValueAtPercentile(99) - direct.getValueAtPercentile(99)) / 1e3));
    Path dir = options.out();
    ReportFiles.summary(dir, summary);
    Map<String, double[]> cdf = new LinkedHashMap<>();
    cdf.put("direct", samples(direct));
    cdf.put("through Pulse", samples(pulseHistogram));
    Charts.latencyCdf(dir.resolve("warm-cdf.png"), "Warm latency: direct vs through the data plane", cdf);
    Map<String, String> charts = new LinkedHashMap<>();
    charts.put("warm-cdf.png", "Warm latency CDF (ms)");
    ReportFiles.html(dir, "Pulse warm path", options.command(), summary, charts);
    return summary;
  }

  private static String awaitEndpoint(ApiClient api) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      JsonArray instances = api.get("/v1/functions/warm/instances").getJsonArray("instances");
      for (int i = 0; i < instances.size(); i++) {
        JsonObject instance = instances.getJsonObject(i);
        if ("ready".equals(instance.getString("state")) && instance.getString("endpoint") != null) {
          return instance.getString("endpoint");
        }
      }
      TraceExperiment.awaitQuietly(100);
    }
    throw new IllegalStateException("function 'warm' has no ready instance after 60 s");
  }

  /** Closed loop for {@code millis}: each of {@code connections} loops sends its next request when one returns. */
  private static long load(HttpClient client, String host, int port, String path, int connections, long millis,
      Histogram into) {
    Recorder recorder = new Recorder(3);
    AtomicLong done = new AtomicLong();
    long end = System.nanoTime() + millis * 1_000_000;
    CountDownLatch finished = new CountDownLatch(connections);
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port).setURI(path)
        .setTimeout(10_000);
    for (int c = 0; c < connections; c++) {
      loop(client, request, end, recorder, done, finished);
    }
    try {
      finished.await(millis + 15_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (into != null) {
      into.add(recorder.getIntervalHistogram());
    }
    return done.get();
  }

  private static void loop(HttpClient client, RequestOptions request, long end, Recorder recorder, AtomicLong done,
      CountDownLatch finished) {
    if (System.nanoTime() >= end) {
      finished.countDown();
      return;
    }
    long start = System.nanoTime();
    client.request(request).compose(r -> r.send().compose(response -> response.body())).onComplete(ar -> {
      if (ar.succeeded()) {
        recorder.recordValue(System.nanoTime() - start);
        done.incrementAndGet();
      }
      loop(client, request, end, recorder, done, finished);
    });
  }

  private static double[] samples(Histogram histogram) {
    double[] values = new double[200];
    for (int i = 0; i < values.length; i++) {
      values[i] = histogram.getValueAtPercentile(100.0 * (i + 0.5) / values.length) / 1e6;
    }
    return values;
  }
}
