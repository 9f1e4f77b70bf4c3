package io.pulse.bench.experiment;

import static io.pulse.bench.experiment.TraceExperiment.round;

import io.pulse.bench.driver.ApiClient;
import io.pulse.bench.driver.PulseLauncher;
import io.pulse.bench.driver.PulseSetup;
import io.pulse.bench.driver.RunningPulse;
import io.pulse.bench.driver.SimulatedWorkers;
import io.pulse.bench.report.Charts;
import io.pulse.bench.report.ReportFiles;
import io.pulse.bench.report.Stats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

/**
 * Control-plane throughput. Simulated workers answer every creation at once, so what is measured is the control plane
 * (autoscaler, placement, lifecycle, gRPC). Burst (the default): {@code functions} registrations with
 * {@code minScale = instances} sent at once; sandboxes/s between the first and the last creation command. Steady
 * ({@code rate > 0}): registrations of fresh functions paced open-loop so that {@code rate} creations per second are
 * asked for during {@code seconds}. Either way each sandbox's scheduling latency runs from its registration's
 * (scheduled) sending to its creation command reaching a worker.
 */
public final class ScaleExperiment {

  /**
   * @param rate creations per second asked for in steady mode; 0: one burst of {@code functions} registrations
   * @param warmupSeconds steady mode: the rate is kept this long before the measured {@code seconds}, and the
   *     sandboxes of those first registrations are left out of the latency figures (a fresh JVM compiles its paths
   *     there); 0: every sandbox counts
   */
  public record Options(int workers, int functions, int instances, double rate, double seconds,
      double warmupSeconds, Path out, String command) {

    boolean steady() {
      return rate > 0;
    }

    /** Functions registered in all. */
    int registrations() {
      return steady() ? Math.max(1, (int) Math.round(rate * (warmupSeconds + seconds) / instances)) : functions;
    }
  }

  private ScaleExperiment() {}

  public static JsonObject run(Options options, PulseLauncher launcher, PrintStream out) {
    // The all-in-one's own worker offers (almost) nothing, so every instance lands on a simulated worker.
    PulseSetup setup = new PulseSetup("fake", "kpa", "0", 1, 2_000, 60_000, 1, 1, false, 1_000);
    int registrations = options.registrations();
    int expected = registrations * options.instances();
    JsonObject summary;
    try (RunningPulse pulse = launcher.start(setup)) {
      String grpc = pulse.controlPlaneGrpc();
      if (grpc == null) {
        throw new IllegalArgumentException("scale needs the control plane's gRPC address: run it without --api");
      }
      ApiClient api = new ApiClient(pulse.apiUrl(), pulse.apiToken());
      int perWorker = Math.max(1, (int) Math.ceil(expected * 2.0 / options.workers()));
      try (SimulatedWorkers workers = SimulatedWorkers.start(grpc, options.workers(), perWorker * 10,
          perWorker * 10)) {
        out.printf("scale: %d simulated workers registered; deploying %d functions x %d instances%s%n",
            options.workers(), registrations, options.instances(),
            options.steady() ? String.format(" at %.0f creations/s", options.rate()) : " at once");
        warmUp(api, workers);
        Map<String, Long> deployedAt = new ConcurrentHashMap<>();
        Map<String, Long> answeredAt = new ConcurrentHashMap<>();
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        // One registration every instances/rate seconds (steady), or all at once (burst); open loop: never waits for
        // an answer before sending the next, and the latency runs from the scheduled time.
        long gapNanos = options.steady() ? Math.round(options.instances() * 1e9 / options.rate()) : 0;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
          for (int f = 0; f < registrations; f++) {
            String name = "s" + f;
            long at = start + f * gapNanos;
            for (long wait = at - System.nanoTime(); wait > 0; wait = at - System.nanoTime()) {
              LockSupport.parkNanos(wait);
            }
            deployedAt.put(name, at);
            pool.submit(() -> {
              api.deploy(new JsonObject().put("name", name).put("command", new JsonArray(List.of("fake")))
                  .put("resources", new JsonObject().put("cpuMillis", 10).put("memoryMiB", 10))
                  .put("scaling", new JsonObject().put("policy", "kpa").put("minScale", options.instances())
                      .put("maxScale", options.instances())));
              answeredAt.put(name, System.nanoTime());
              return null;
            });
          }
          long deadline = System.nanoTime() + 300_000_000_000L;
          while (workers.arrivals().size() < expected && System.nanoTime() < deadline) {
            out.printf("\rscale: %d/%d creation commands received, %.1f s", workers.arrivals().size(), expected,
                (System.nanoTime() - start) / 1e9);
            TraceExperiment.awaitQuietly(100);
          }
        }
        long cpuNanos = processCpuNanos() - cpuBefore;
        out.println();
        List<SimulatedWorkers.Arrival> arrivals = workers.arrivals();
        long first = arrivals.stream().mapToLong(SimulatedWorkers.Arrival::nanos).min().orElse(start);
        long last = arrivals.stream().mapToLong(SimulatedWorkers.Arrival::nanos).max().orElse(start);
        long measuredFrom = start + Math.round((options.steady() ? options.warmupSeconds() : 0) * 1e9);
        List<SimulatedWorkers.Arrival> measured = measured(arrivals, deployedAt, measuredFrom);
        double[] latencies = latencies(measured, deployedAt, start);
        double span = Math.max(1e-9, (last - first) / 1e9);
        summary = new JsonObject().put("experiment", "scale").put("command", options.command())
            .put("mode", options.steady() ? "steady" : "burst")
            .put("workers", options.workers()).put("functions", registrations)
            .put("instancesPerFunction", options.instances()).put("sandboxes", arrivals.size())
            .put("expected", expected);
        if (options.steady()) {
          summary.put("rateAsked", options.rate()).put("seconds", options.seconds())
              .put("warmupSeconds", options.warmupSeconds()).put("measuredSandboxes", measured.size());
          if (measured.size() < arrivals.size()) {
            List<SimulatedWorkers.Arrival> warmup = arrivals.stream()
                .filter(a -> deployedAt.getOrDefault(a.function(), measuredFrom) < measuredFrom).toList();
            summary.put("warmupSchedulingLatencyP99Ms",
                round(Stats.percentile(latencies(warmup, deployedAt, start), 0.99)));
          }
        }
        summary.put("sandboxesPerSecond", round(arrivals.size() / span))
            .put("endToEndSandboxesPerSecond", round(arrivals.size() / Math.max(1e-9, (last - start) / 1e9)))
            .put("schedulingLatencyP50Ms", round(Stats.percentile(latencies, 0.5)))
            .put("schedulingLatencyP99Ms", round(Stats.percentile(latencies, 0.99)))
            .put("schedulingLatencyMaxMs", round(Stats.percentile(latencies, 1.0)))
            .put("stages", stages(deployedAt, answeredAt, measured))
            // The whole bench process (control plane, data plane, worker, simulated workers, this driver): a figure
            // that the other load on the machine changes less than the wall-clock ones.
            .put("processCpuSeconds", round(cpuNanos / 1e9))
            .put("processCpuMicrosPerSandbox", round(cpuNanos / 1e3 / Math.max(1, arrivals.size())));
        report(options, summary, latencies, arrivals, first);
        sandboxesCsv(options.out(), start, deployedAt, answeredAt, arrivals);
        for (int f = 0; f < registrations; f++) {
          api.delete("s" + f);
        }
        // Let the control plane delete its instances before the simulated workers go away.
        long cleanup = System.nanoTime() + 20_000_000_000L;
        while (workers.sandboxCount() > 0 && System.nanoTime() < cleanup) {
          TraceExperiment.awaitQuietly(100);
        }
      }
    }
    return summary;
  }

  /** The sandboxes whose function's registration was scheduled at or after {@code fromNanos}. */
  static List<SimulatedWorkers.Arrival> measured(List<SimulatedWorkers.Arrival> arrivals, Map<String, Long> deployedAt,
      long fromNanos) {
    return arrivals.stream().filter(a -> deployedAt.getOrDefault(a.function(), fromNanos) >= fromNanos).toList();
  }

  /** Each sandbox's scheduling latency in ms: from its function's scheduled registration to its creation command. */
  private static double[] latencies(List<SimulatedWorkers.Arrival> arrivals, Map<String, Long> deployedAt,
      long start) {
    return arrivals.stream().mapToDouble(a -> (a.nanos() - deployedAt.getOrDefault(a.function(), start)) / 1e6)
        .toArray();
  }

  /**
   * Where a sandbox's scheduling latency went: {@code registration} is its function's REST call (sent at the scheduled
   * time, answered once the registry's write is durable and every data plane routes the function), {@code afterAnswer}
   * from that answer to the creation
   * command reaching a worker (negative when the command came first: the leader acts on the registry's change
   * before the REST answer travels back). Percentiles over sandboxes, so both weigh as the latency does.
   */
  static JsonObject stages(Map<String, Long> deployedAt, Map<String, Long> answeredAt,
      List<SimulatedWorkers.Arrival> arrivals) {
    double[] registration = arrivals.stream().filter(a -> answeredAt.containsKey(a.function()))
        .mapToDouble(a -> (answeredAt.get(a.function()) - deployedAt.get(a.function())) / 1e6).toArray();
    double[] afterAnswer = arrivals.stream().filter(a -> answeredAt.containsKey(a.function()))
        .mapToDouble(a -> (a.nanos() - answeredAt.get(a.function())) / 1e6).toArray();
    JsonObject stages = new JsonObject();
    for (Map.Entry<String, double[]> stage : Map.of("registration", registration, "afterAnswer", afterAnswer)
        .entrySet()) {
      stages.put(stage.getKey(), new JsonObject()
          .put("p50Ms", round(Stats.percentile(stage.getValue(), 0.5)))
          .put("p99Ms", round(Stats.percentile(stage.getValue(), 0.99)))
          .put("maxMs", round(Stats.percentile(stage.getValue(), 1.0))));
    }
    return stages;
  }

  /**
   * One function of one instance registered, created and deleted before measuring: the first registration of a
   * process loads and compiles the REST, registry and creation paths, a one-time cost that is not throughput.
   */
  private static void warmUp(ApiClient api, SimulatedWorkers workers) {
    api.deploy(new JsonObject().put("name", "warm-up").put("command", new JsonArray(List.of("fake")))
        .put("resources", new JsonObject().put("cpuMillis", 1).put("memoryMiB", 1))
        .put("scaling", new JsonObject().put("policy", "kpa").put("minScale", 1).put("maxScale", 1)));
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (workers.arrivals().isEmpty() && System.nanoTime() < deadline) {
      TraceExperiment.awaitQuietly(20);
    }
    api.delete("warm-up");
    while (workers.sandboxCount() > 0 && System.nanoTime() < deadline) {
      TraceExperiment.awaitQuietly(20);
    }
    workers.clearArrivals();
  }

  private static void report(Options options, JsonObject summary, double[] latencies,
      List<SimulatedWorkers.Arrival> arrivals, long first) {
    Path dir = options.out();
    ReportFiles.summary(dir, summary);
    Map<String, double[]> cdf = new LinkedHashMap<>();
    cdf.put("scheduling latency", latencies);
    Charts.latencyCdf(dir.resolve("scheduling-cdf.png"), "Scheduling latency (registration to creation command)",
        cdf);
    List<Double> perSecond = new ArrayList<>();
    for (SimulatedWorkers.Arrival a : arrivals) {
      int bucket = (int) ((a.nanos() - first) / 100_000_000L);
      while (perSecond.size() <= bucket) {
        perSecond.add(0.0);
      }
      perSecond.set(bucket, perSecond.get(bucket) + 10);
    }
    double[] x = new double[perSecond.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = i / 10.0;
    }
    Map<String, double[]> lines = new LinkedHashMap<>();
    lines.put("sandboxes/s (100 ms buckets)", perSecond.stream().mapToDouble(Double::doubleValue).toArray());
    if (x.length > 0) {
      Charts.lines(dir.resolve("throughput.png"), "Creation commands per second", "seconds", "sandboxes/s", x,
          lines);
    }
    Map<String, String> charts = new LinkedHashMap<>();
    charts.put("throughput.png", "Sandbox creations per second over time");
    charts.put("scheduling-cdf.png", "Scheduling latency CDF");
    ReportFiles.html(dir, "Pulse control-plane throughput", options.command(), summary, charts);
  }

  /** Per sandbox, ms from the first scheduled registration: when its registration was sent, answered, and arrived. */
  private static void sandboxesCsv(Path dir, long start, Map<String, Long> deployedAt, Map<String, Long> answeredAt,
      List<SimulatedWorkers.Arrival> arrivals) {
    StringBuilder csv = new StringBuilder("function,instance,scheduled_ms,answered_ms,arrived_ms\n");
    for (SimulatedWorkers.Arrival a : arrivals) {
      Long answered = answeredAt.get(a.function());
      csv.append(a.function()).append(',').append(a.instanceId()).append(',')
          .append(ms(deployedAt.getOrDefault(a.function(), start) - start)).append(',')
          .append(answered == null ? "" : ms(answered - start)).append(',').append(ms(a.nanos() - start))
          .append('\n');
    }
    try {
      java.nio.file.Files.writeString(dir.resolve("sandboxes.csv"), csv);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String ms(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e6);
  }

  private static long processCpuNanos() {
    return ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class).getProcessCpuTime();
  }
}
