package io.pulse.bench.experiment;

import io.pulse.bench.driver.ApiClient;
import io.pulse.bench.driver.Haproxy;
import io.pulse.bench.driver.ProcessCpu;
import io.pulse.bench.driver.PulseLauncher;
import io.pulse.bench.driver.PulseProcess;
import io.pulse.bench.driver.PulseSetup;
import io.pulse.bench.driver.RunningPulse;
import io.pulse.bench.driver.TimeWait;
import io.pulse.bench.experiment.WarmFigures.Leg;
import io.pulse.bench.experiment.WarmFigures.Round;
import io.pulse.bench.report.Charts;
import io.pulse.bench.report.ReportFiles;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * Warm-path overhead: closed-loop load with {@code connections} outstanding requests on one warm instance, straight
 * to it, through HAProxy in front of it (when installed) and through Pulse's data plane, in alternating rounds after
 * a warm-up; latencies in HdrHistogram and the CPU per request of each proxy process (from {@code /proc}). Pulse's
 * data plane runs as its own {@code pulse data-plane} process when {@code launcher} says how to start one (so that its
 * CPU is its own), else the gateway of the Pulse the launcher started is used and its CPU is not measured.
 */
public final class WarmExperiment {

  /**
   * @param launcher how to run {@code pulse} in a child JVM (java, options, class path, main class); empty: no
   *     data-plane process of its own
   * @param haproxy whether to include HAProxy when installed
   * @param close whether the instance closes every connection after its answer without saying so (busybox httpd's
   *     way; the direct leg then asks for {@code Connection: close} itself)
   * @param forwarding the data-plane process's {@code --forwarding} ({@code raw}, the default, or {@code vertx})
   * @param transport the data-plane process's {@code --transport} ({@code auto}, the default, {@code epoll} or
   *     {@code io_uring})
   * @param eventLoops the data-plane process's {@code --event-loops} (0: its default)
   * @param haproxyThreads HAProxy's {@code nbthread} (0: its default, one per core)
   */
  public record Options(int connections, int seconds, int rounds, int warmupSeconds, String runtime,
      List<String> launcher, boolean haproxy, Path out, String command, boolean close, String forwarding,
      String transport, int eventLoops, int haproxyThreads) {
    public Options {
      launcher = List.copyOf(launcher);
      if (eventLoops < 0 || haproxyThreads < 0) {
        throw new IllegalArgumentException("--event-loops and --haproxy-threads must be >= 0 (0: the default), were "
            + eventLoops + " and " + haproxyThreads);
      }
    }
  }

  /**
   * One leg's target, the client that loads it, the process whose CPU is its cost (-1: none measured) and the name its
   * event-loop threads start with (null: not counted apart).
   */
  private record Way(String name, HttpClient client, ClosedLoop.Target target, long pid, @Nullable String loops) {}

  /** Vert.x's event-loop threads, as the kernel names them (15 characters). */
  private static final String VERTX_EVENT_LOOPS = "vert.x-eventloo";

  private WarmExperiment() {}

  public static JsonObject run(Options options, PulseLauncher launcher, PrintStream out) {
    PulseSetup setup = new PulseSetup(options.runtime(), "kpa", "0", 1, 2_000, 60_000, 256_000, 1_048_576, true, 1_000);
    Path logs = options.out().resolve("logs");
    List<Leg> legs = new ArrayList<>();
    String pulseCpu;
    String haproxyNote;
    double rawExchanges = -1;
    try (RunningPulse pulse = launcher.start(setup)) {
      ApiClient api = new ApiClient(pulse.apiUrl(), pulse.apiToken());
      api.deploy(new JsonObject().put("name", "warm").put("command", new JsonArray(List.of("fake")))
          .put("resources", new JsonObject().put("cpuMillis", 100).put("memoryMiB", 64))
          .put("scaling", new JsonObject().put("policy", "kpa").put("minScale", 1).put("maxScale", 1)
              .put("targetConcurrency", Math.max(1, options.connections() * 4))));
      String[] endpoint = awaitEndpoint(api).split(":");
      String host = endpoint[0];
      int port = Integer.parseInt(endpoint[1]);
      Optional<Path> haproxyBinary = options.haproxy() ? Haproxy.binary() : Optional.empty();
      haproxyNote = !options.haproxy() ? "left out (--no-haproxy)"
          : haproxyBinary.map(Path::toString).orElse("not installed: leg skipped");
      Vertx vertx = Vertx.vertx();
      Haproxy haproxy = null;
      int adminPort = -1;
      PulseProcess dataPlane = null;
      try {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
            new PoolOptions().setHttp1MaxSize(options.connections()));
        // A closing instance would fail every kept-alive request that races its close: straight to it, the client asks
        // for the close itself. Through a proxy, the client's connections stay alive (the proxy's side is measured).
        HttpClient direct = !options.close() ? client : vertx.createHttpClient(new HttpClientOptions()
            .setKeepAlive(false).setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(options.connections()));
        String query = options.close() ? "?close=1" : "";
        List<Way> paths = new ArrayList<>();
        paths.add(new Way(WarmFigures.DIRECT, direct, new ClosedLoop.Target(host, port, "/" + query), -1, null));
        if (haproxyBinary.isPresent()) {
          haproxy = Haproxy.start(haproxyBinary.get(), host, port, logs, options.haproxyThreads());
          paths.add(new Way(WarmFigures.HAPROXY, client,
              new ClosedLoop.Target("127.0.0.1", haproxy.port(), "/" + query), haproxy.pid(), null));
        }
        String grpc = pulse.controlPlaneGrpc();
        if (!options.launcher().isEmpty() && grpc != null) {
          int[] ports = freePorts();
          adminPort = ports[1];
          List<String> args = new ArrayList<>(List.of("data-plane", "--bind", "127.0.0.1", "--id", "bench-warm-dp",
              "--http-port", Integer.toString(ports[0]), "--admin-port", Integer.toString(ports[1]),
              "--control-plane", grpc, "--forwarding", options.forwarding(), "--transport", options.transport()));
          if (options.eventLoops() > 0) {
            args.addAll(List.of("--event-loops", Integer.toString(options.eventLoops())));
          }
          dataPlane = new PulseProcess("data-plane", options.launcher(), args, logs.resolve("data-plane.log"));
          dataPlane.start();
          ClosedLoop.Target target = new ClosedLoop.Target("127.0.0.1", ports[0], "/fn/warm/" + query);
          awaitServing(client, target, dataPlane);
          paths.add(new Way(WarmFigures.PULSE, client, target, dataPlane.pid(), VERTX_EVENT_LOOPS));
          pulseCpu = "the data plane's own JVM (a `pulse data-plane` process), every thread (JIT and GC included);"
              + " eventLoopCpuUsPerRequest: its Vert.x event loops alone";
        } else {
          URI gateway = URI.create(pulse.gatewayUrl());
          paths.add(new Way(WarmFigures.PULSE, client, new ClosedLoop.Target(gateway.getHost(), gateway.getPort(),
              "/fn/warm/" + query), -1, null));
          pulseCpu = "not measured: the gateway shares a JVM with the rest of Pulse";
        }
        measure(paths, port, options, legs, out);
        if (dataPlane != null) {
          rawExchanges = rawExchanges(adminPort);
        }
      } finally {
        if (dataPlane != null) {
          dataPlane.stop();
        }
        if (haproxy != null) {
          haproxy.close();
        }
        vertx.close().await();
      }
    }
    return report(options, legs, pulseCpu, haproxyNote, rawExchanges);
  }

  /** The data plane's {@code pulse_dataplane_raw_exchanges_total} (requests carried raw); -1 when unread. */
  private static double rawExchanges(int adminPort) {
    try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
      String metrics = http.send(java.net.http.HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + adminPort + "/metrics")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      for (String line : metrics.split("\n")) {
        if (line.startsWith("pulse_dataplane_raw_exchanges_total ")) {
          return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return -1;
    } catch (java.io.IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /**
   * Warm-up, then the rounds, each path's slice in a rotating order. The warm-up goes through Pulse (the last path):
   * its JVM is the one the JIT has to compile, and the client and the instance are compiled on the way; one second
   * on each other path opens its connections.
   */
  private static void measure(List<Way> paths, int instancePort, Options options, List<Leg> legs,
      PrintStream out) {
    for (Way way : paths.subList(0, paths.size() - 1)) {
      ClosedLoop.run(way.client(), way.target(), options.connections(), 1_000);
    }
    Way last = paths.getLast();
    for (int s = 0; s < options.warmupSeconds(); s++) {
      out.printf("\rwarm: warm-up %d/%d s   ", s + 1, options.warmupSeconds());
      ClosedLoop.run(last.client(), last.target(), options.connections(), 1_000);
    }
    long slice = Math.max(1, options.seconds() * 1_000L / ((long) paths.size() * options.rounds()));
    Map<String, List<Round>> rounds = new LinkedHashMap<>();
    Map<String, Histogram> latencies = new LinkedHashMap<>();
    paths.forEach(p -> {
      rounds.put(p.name(), new ArrayList<>());
      latencies.put(p.name(), new Histogram(60_000_000_000L, 3));
    });
    for (int r = 0; r < options.rounds(); r++) {
      out.printf("\rwarm: round %d/%d           ", r + 1, options.rounds());
      for (int i = 0; i < paths.size(); i++) {
        Way path = paths.get((r + i) % paths.size());
        ProcessCpu.Times cpuBefore = cpu(path.pid());
        long loopsBefore = loopCpu(path);
        Set<String> timeWaitBefore = TimeWait.sockets(instancePort);
        long began = System.nanoTime();
        ClosedLoop.Tally tally = ClosedLoop.run(path.client(), path.target(), options.connections(), slice);
        double seconds = (System.nanoTime() - began) / 1e9;
        ProcessCpu.Times cpuAfter = cpu(path.pid());
        long loopsAfter = loopCpu(path);
        Set<String> timeWaitAfter = TimeWait.sockets(instancePort);
        int timeWaitNew = (int) timeWaitAfter.stream().filter(s -> !timeWaitBefore.contains(s)).count();
        rounds.get(path.name()).add(new Round(tally.ok(), tally.failed(), seconds,
            cpuBefore == null || cpuAfter == null ? -1 : cpuAfter.totalMicros() - cpuBefore.totalMicros(),
            loopsBefore < 0 || loopsAfter < 0 ? -1 : loopsAfter - loopsBefore, timeWaitNew, timeWaitAfter.size(),
            cpuBefore == null || cpuAfter == null ? -1 : cpuAfter.userMicros() - cpuBefore.userMicros()));
        latencies.get(path.name()).add(tally.latencies());
      }
    }
    out.println();
    paths.forEach(p -> legs.add(new Leg(p.name(), rounds.get(p.name()), latencies.get(p.name()))));
  }

  private static long loopCpu(Way way) {
    return way.pid() < 0 || way.loops() == null ? -1 : ProcessCpu.threadMicros(way.pid(), way.loops()).orElse(-1);
  }

  /** The process's CPU so far; null when not measured (no process, or no {@code /proc}). */
  private static ProcessCpu.Times cpu(long pid) {
    return pid < 0 ? null : ProcessCpu.times(pid).orElse(null);
  }

  private static JsonObject report(Options options, List<Leg> legs, String pulseCpu, String haproxyNote,
      double rawExchanges) {
    JsonObject figures = WarmFigures.legs(legs);
    JsonObject direct = figures.getJsonObject(WarmFigures.DIRECT);
    JsonObject pulse = figures.getJsonObject(WarmFigures.PULSE);
    JsonObject summary = new JsonObject().put("experiment", "warm").put("command", options.command())
        .put("runtime", options.runtime()).put("connections", options.connections())
        .put("warmupSeconds", options.warmupSeconds()).put("rounds", options.rounds())
        .put("haproxy", haproxyNote).put("pulseCpu", pulseCpu).put("closingInstance", options.close())
        .put("forwarding", options.forwarding()).put("transport", options.transport())
        .put("eventLoops", options.eventLoops() > 0 ? Integer.toString(options.eventLoops()) : "the data plane's default")
        .put("haproxyThreads", options.haproxyThreads() > 0 ? Integer.toString(options.haproxyThreads())
            : "HAProxy's default").put("rawExchanges", rawExchanges)
        .put("directRps", direct.getDouble("rps")).put("pulseRps", pulse.getDouble("rps"))
        .put("ratio", TraceExperiment.round(pulse.getDouble("rps") / direct.getDouble("rps")))
        .put("directP50Us", direct.getDouble("p50Us")).put("pulseP50Us", pulse.getDouble("p50Us"))
        .put("addedP50Us", pulse.getDouble("addedP50Us"))
        .put("directP99Us", direct.getDouble("p99Us")).put("pulseP99Us", pulse.getDouble("p99Us"))
        .put("addedP99Us", pulse.getDouble("addedP99Us"))
        .put("legs", figures);
    JsonObject versus = WarmFigures.vsHaproxy(figures);
    if (versus != null) {
      summary.put("vsHaproxy", versus);
    }
    Path dir = options.out();
    ReportFiles.summary(dir, summary);
    Map<String, double[]> cdf = new LinkedHashMap<>();
    legs.forEach(leg -> cdf.put(leg.name(), samples(leg.latencies())));
    Charts.latencyCdf(dir.resolve("warm-cdf.png"), "Warm latency: direct, through HAProxy, through Pulse", cdf);
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

  /** Until the data-plane process has the function's route and answers through it. */
  private static void awaitServing(HttpClient client, ClosedLoop.Target target, PulseProcess dataPlane) {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      if (!dataPlane.alive()) {
        throw new IllegalStateException("the data-plane process exited (see logs/data-plane.log)");
      }
      if (ClosedLoop.run(client, target, 1, 1).ok() > 0) {
        return;
      }
      TraceExperiment.awaitQuietly(200);
    }
    throw new IllegalStateException("the data-plane process did not serve function 'warm' within 120 s");
  }

  private static int[] freePorts() {
    try {
      return FailoverCluster.freePorts(2);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot pick free ports", e);
    }
  }

  private static double[] samples(Histogram histogram) {
    double[] values = new double[200];
    for (int i = 0; i < values.length; i++) {
      values[i] = histogram.getValueAtPercentile(100.0 * (i + 0.5) / values.length) / 1e6;
    }
    return values;
  }
}
