package io.pulse.bench.experiment;

import static io.pulse.bench.experiment.TraceExperiment.round;

import io.grpc.ManagedChannel;
import io.pulse.api.v1.PrepareImageRequest;
import io.pulse.api.v1.WorkerServiceGrpc;
import io.pulse.bench.driver.ApiClient;
import io.pulse.bench.driver.PulseLauncher;
import io.pulse.bench.driver.PulseSetup;
import io.pulse.bench.driver.RunningPulse;
import io.pulse.bench.report.Charts;
import io.pulse.bench.report.ReportFiles;
import io.pulse.bench.report.Stats;
import io.pulse.common.grpc.GrpcChannels;
import io.pulse.worker.sandbox.CreatedSandbox;
import io.pulse.worker.sandbox.Resources;
import io.pulse.worker.sandbox.SandboxKind;
import io.pulse.worker.sandbox.SandboxSpec;
import io.pulse.worker.sandbox.containerd.ContainerdClient;
import io.pulse.worker.sandbox.containerd.ContainerdSandboxRuntime;
import io.pulse.worker.sandbox.containerd.ContainerdSettings;
import io.pulse.worker.sandbox.containerd.pool.PoolBudget;
import io.pulse.worker.sandbox.containerd.pool.PooledSandboxRuntime;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Cold start through Pulse on the containerd runtime against containerd's own create+start+ready of the same image,
 * in the same run, samples interleaved so both see the same machine. Pulse: register a fresh function, then its first
 * invocation through the gateway (the image pre-pulled with the worker's PrepareImage). Direct: the worker's
 * containerd client and runtime code in this JVM, in a namespace of its own (snapshot, container, task, network,
 * start, readiness) plus one HTTP request to the sandbox, with no control plane, worker daemon or gateway involved.
 * Each sample also times a fresh function of the expedited track ({@code emergency-only}), so the standard track's
 * distance to it comes from one run, and the raw OCI floor ({@link RawOciFloor}: runc and crun running the image's own
 * rootfs until one answer, without containerd).
 */
public final class ContainerdColdStartExperiment {

  /**
   * @param image an OCI reference the worker can pull, whose image serves HTTP on {@code $PORT}
   * @param direct settings of the direct runtime (its own namespace, data directory and ports)
   * @param policy the functions' scaling policy ({@code kpa}: cold start through the control plane)
   * @param samples cold starts measured on each side (after one warm-up each)
   * @param pool the launched worker has a sandbox pool budget: measure pool hits through Pulse too
   * @param workerNamespace the launched worker's containerd namespace (on {@code direct}'s socket), where the standard
   *     track's pool samples wait for the previous instance's teardown; null: a Pulse not launched here, not waited for
   */
  public record Options(String image, ContainerdSettings direct, String policy, int samples, Path out,
      String command, boolean pool, @Nullable String workerNamespace) {}

  private static final int PORT = 8080;
  private static final String EXPEDITED_POLICY = "emergency-only";

  private ContainerdColdStartExperiment() {}

  public static JsonObject run(Options options, PulseLauncher launcher, PrintStream out) {
    List<Double> direct = new ArrayList<>();
    List<Double> directRuntime = new ArrayList<>();
    List<Double> register = new ArrayList<>();
    List<Double> firstInvocation = new ArrayList<>();
    List<Double> total = new ArrayList<>();
    List<Double> expeditedFirstInvocation = new ArrayList<>();
    PoolColdStarts.Hits directHits = PoolColdStarts.Hits.NONE;
    PoolColdStarts.Hits expeditedHits = PoolColdStarts.Hits.NONE;
    PoolColdStarts.Hits standardHits = PoolColdStarts.Hits.NONE;
    AtomicInteger teardownPolls = new AtomicInteger();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    // With pools, a 2 s stable window lets a kpa function scale back to zero between standard-track pool samples.
    PulseSetup setup = new PulseSetup("containerd", options.policy(), "0", 0, 500, options.pool() ? 2_000 : 60_000,
        64_000, 65_536, true, 200);
    ContainerdSandboxRuntime runtime = new ContainerdSandboxRuntime(options.direct());
    RawOciFloor floor = null;
    try (RunningPulse pulse = launcher.start(setup)) {
      runtime.recover().toCompletableFuture().join();
      ApiClient api = new ApiClient(pulse.apiUrl(), pulse.apiToken());
      String worker = api.firstWorkerAddress(Duration.ofSeconds(30));
      out.println("pre-pulling " + options.image() + " on worker " + worker + " and for the direct runtime ...");
      prepare(worker, options.image());
      runtime.prepareImage(options.image()).toCompletableFuture().join();
      SandboxSpec spec = new SandboxSpec("direct", 1, options.image(), List.of(), PORT, Map.of(),
          new Resources(250, 64), 30_000);
      floor = RawOciFloor.open(options.direct(), spec, runtime.imageConfig(options.image()), url -> get(http, url));
      for (int i = -1; i < options.samples(); i++) {
        // Direct: create+start+ready and one request, straight on containerd.
        String id = "direct-" + (i + 1);
        long t0 = System.nanoTime();
        CreatedSandbox created = runtime.create(id, SandboxKind.EMERGENCY, spec).toCompletableFuture().join();
        get(http, "http://" + created.sandbox().endpoint() + "/");
        double directMs = (System.nanoTime() - t0) / 1e6;
        runtime.delete(id).toCompletableFuture().join();
        String floorSample = floor.sample(i + 1, i < 0);
        // Through Pulse: register a fresh function, then its first invocation through the gateway; the expedited
        // track beside it in the same sample, so both see the same machine. The order alternates: the one that goes
        // second shares the machine with the teardown of the first's sandbox.
        boolean standardFirst = i % 2 == 0;
        double[] first = registerAndInvoke(api, http, pulse.gatewayUrl(), (standardFirst ? "cs-" : "cx-") + (i + 1),
            options.image(), standardFirst ? options.policy() : EXPEDITED_POLICY);
        double[] second = registerAndInvoke(api, http, pulse.gatewayUrl(), (standardFirst ? "cx-" : "cs-") + (i + 1),
            options.image(), standardFirst ? EXPEDITED_POLICY : options.policy());
        double[] standard = standardFirst ? first : second;
        double[] expedited = standardFirst ? second : first;
        if (i < 0) {
          continue;
        }
        direct.add(directMs);
        directRuntime.add(created.timings().totalMicros() / 1e3);
        register.add(standard[0]);
        firstInvocation.add(standard[1]);
        total.add(standard[0] + standard[1]);
        expeditedFirstInvocation.add(expedited[1]);
        out.printf("sample %d: direct %.1f ms, pulse first invocation %.1f ms (register %.1f ms), expedited %.1f ms,"
            + " raw floor %s%n", i + 1, directMs, standard[1], standard[0], expedited[1], floorSample);
      }
      out.println("pool hits: containerd direct (pooled runtime in this JVM) ...");
      directHits = PoolColdStarts.direct(PooledSandboxRuntime.of(runtime, new PoolBudget(2, 1024),
          java.time.Clock.systemUTC()), spec, options.samples(), url -> get(http, url));
      if (options.pool()) {
        out.println("pool hits: through Pulse, expedited track ...");
        expeditedHits = PoolColdStarts.expedited(api, pulse.gatewayUrl(), new JsonObject().put("name", "cs-pool")
            .put("image", options.image()).put("port", PORT)
            .put("resources", new JsonObject().put("cpuMillis", 250).put("memoryMiB", 64))
            .put("scaling", new JsonObject().put("keepAliveSeconds", 1)), options.samples(), url -> get(http, url));
        out.println("pool hits: through Pulse, standard track (scale from zero) ...");
        try (ContainerdClient workerNamespace = options.workerNamespace() == null ? null
            : ContainerdClient.connect(options.direct().socket(), options.workerNamespace(), 10_000)) {
          BooleanSupplier onlyMembers = workerNamespace == null ? () -> true
              : PoolColdStarts.onlyPoolMembers(workerNamespace);
          // Asked only once the leader has ended the previous instance: each "no" is one poll spent on its teardown.
          BooleanSupplier torndown = () -> {
            if (onlyMembers.getAsBoolean()) {
              return true;
            }
            teardownPolls.incrementAndGet();
            return false;
          };
          standardHits = PoolColdStarts.standard(api, pulse.gatewayUrl(), new JsonObject()
              .put("name", "cs-pool-std").put("image", options.image()).put("port", PORT)
              .put("resources", new JsonObject().put("cpuMillis", 250).put("memoryMiB", 64))
              .put("scaling", new JsonObject().put("keepAliveSeconds", 1)), options.samples(), url -> get(http, url),
              torndown);
        }
        out.printf("standard pool samples: %d polls (20 ms apart) waited for the previous instance's teardown after"
            + " the leader had ended it%n", teardownPolls.get());
      }
    } finally {
      try {
        if (floor != null) {
          floor.close();
        }
      } finally {
        runtime.close().toCompletableFuture().join();
      }
    }
    double directP50 = p(direct, 0.5);
    double coldP50 = p(firstInvocation, 0.5);
    double expeditedP50 = p(expeditedFirstInvocation, 0.5);
    JsonObject summary = new JsonObject().put("experiment", "coldstart-containerd").put("command", options.command())
        .put("runtime", "containerd").put("image", options.image()).put("network", options.direct().network())
        .put("policy", options.policy()).put("samples", direct.size())
        .put("direct", new JsonObject().put("p50Ms", round(directP50)).put("p99Ms", round(p(direct, 0.99)))
            .put("createStartReadyP50Ms", round(p(directRuntime, 0.5))))
        .put("pulse", new JsonObject().put("firstInvocationP50Ms", round(coldP50))
            .put("firstInvocationP99Ms", round(p(firstInvocation, 0.99)))
            .put("registerP50Ms", round(p(register, 0.5)))
            .put("registerPlusFirstInvocationP50Ms", round(p(total, 0.5))))
        .put("ratio", round(coldP50 / directP50)).put("overheadRatio", round(coldP50 / directP50 - 1))
        .put("ratioWithRegistration", round(p(total, 0.5) / directP50))
        .put("expedited", new JsonObject().put("firstInvocationP50Ms", round(expeditedP50))
            .put("firstInvocationP99Ms", round(p(expeditedFirstInvocation, 0.99)))
            .put("ratio", round(expeditedP50 / directP50)))
        .put("policyMinusExpeditedP50Ms", round(coldP50 - expeditedP50))
        .put("policyOverExpeditedRatio", round(coldP50 / expeditedP50));
    List<Double> directPoolHit = directHits.totalMs();
    List<Double> pulsePoolHit = expeditedHits.totalMs();
    List<Double> pulseStandardPoolHit = standardHits.totalMs();
    JsonObject pool = new JsonObject().put("directHitP50Ms", round(p(directPoolHit, 0.5)))
        .put("directHitP99Ms", round(p(directPoolHit, 0.99)))
        .put("directHitStagesP50Ms", stagesP50(directHits))
        .put("directHitSamples", directHits.samplesJson());
    if (!pulsePoolHit.isEmpty()) {
      pool.put("pulseExpeditedHitP50Ms", round(p(pulsePoolHit, 0.5)))
          .put("pulseExpeditedHitP99Ms", round(p(pulsePoolHit, 0.99)))
          .put("pulseExpeditedHitStagesP50Ms", stagesP50(expeditedHits))
          .put("pulseStandardHitP50Ms", round(p(pulseStandardPoolHit, 0.5)))
          .put("pulseStandardHitP99Ms", round(p(pulseStandardPoolHit, 0.99)))
          .put("pulseStandardHitStagesP50Ms", stagesP50(standardHits))
          .put("standardTeardownWaitPolls", teardownPolls.get())
          .put("pulseExpeditedHitSamples", expeditedHits.samplesJson())
          .put("pulseStandardHitSamples", standardHits.samplesJson());
    }
    summary.put("pool", pool);
    Map<String, Double> p50s = new LinkedHashMap<>();
    p50s.put("direct", directP50);
    p50s.put("pulseFirstInvocation", coldP50);
    p50s.put("directPoolHit", p(directPoolHit, 0.5));
    if (!pulsePoolHit.isEmpty()) {
      p50s.put("pulseExpeditedPoolHit", p(pulsePoolHit, 0.5));
      p50s.put("pulseStandardPoolHit", p(pulseStandardPoolHit, 0.5));
    }
    summary.put("rawFloor", floor.summary(p50s));
    Path dir = options.out();
    ReportFiles.summary(dir, summary);
    Map<String, double[]> cdf = new LinkedHashMap<>();
    cdf.put("containerd direct (create+start+ready+request)", array(direct));
    cdf.put("Pulse first invocation", array(firstInvocation));
    cdf.put("Pulse register + first invocation", array(total));
    cdf.put("Pulse first invocation, expedited track", array(expeditedFirstInvocation));
    cdf.put("containerd direct, pool hit (start+ready+request)", array(directPoolHit));
    if (!pulsePoolHit.isEmpty()) {
      cdf.put("Pulse first invocation, pool hit (expedited)", array(pulsePoolHit));
      cdf.put("Pulse first invocation, pool hit (standard, scale from zero)", array(pulseStandardPoolHit));
    }
    cdf.putAll(floor.cdf());
    Charts.latencyCdf(dir.resolve("coldstart-containerd-cdf.png"), "Cold start on containerd: Pulse vs direct", cdf);
    Map<String, String> charts = new LinkedHashMap<>();
    charts.put("coldstart-containerd-cdf.png", "Latency CDF: containerd driven directly against Pulse");
    ReportFiles.html(dir, "Pulse cold start on containerd", options.command(), summary, charts);
    return summary;
  }

  /** Registers a fresh function of {@code policy} and invokes it once; returns {registration, first invocation} ms. */
  private static double[] registerAndInvoke(ApiClient api, HttpClient http, String gateway, String name, String image,
      String policy) {
    long p0 = System.nanoTime();
    api.deploy(new JsonObject().put("name", name).put("image", image).put("port", PORT)
        .put("resources", new JsonObject().put("cpuMillis", 250).put("memoryMiB", 64))
        .put("scaling", new JsonObject().put("policy", policy).put("keepAliveSeconds", 1)));
    long p1 = System.nanoTime();
    get(http, gateway + "/fn/" + name + "/");
    long p2 = System.nanoTime();
    api.delete(name);
    return new double[] {(p1 - p0) / 1e6, (p2 - p1) / 1e6};
  }

  /** The worker's PrepareImage: the image is present before the first registration is measured. */
  private static void prepare(String worker, String image) {
    ManagedChannel channel = GrpcChannels.plaintext(worker);
    try {
      WorkerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.MINUTES)
          .prepareImage(PrepareImageRequest.newBuilder().setImage(image).build());
    } finally {
      GrpcChannels.close(channel);
    }
  }

  private static void get(HttpClient http, String url) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
          .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("GET " + url + " answered " + response.statusCode() + ": "
            + response.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Each stage's median over the samples (see {@link PoolColdStarts#STAGES}). */
  private static JsonObject stagesP50(PoolColdStarts.Hits hits) {
    JsonObject stages = new JsonObject();
    hits.stagesMs().forEach((stage, ms) -> stages.put(stage, round(p(ms, 0.5))));
    return stages;
  }

  private static double p(List<Double> values, double q) {
    return Stats.percentile(array(values), q);
  }

  private static double[] array(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
