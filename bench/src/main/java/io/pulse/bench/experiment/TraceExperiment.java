package io.pulse.bench.experiment;

import io.pulse.bench.driver.ApiClient;
import io.pulse.bench.driver.LoggedProblems;
import io.pulse.bench.driver.MachineCpu;
import io.pulse.bench.driver.OpenLoopDriver;
import io.pulse.bench.driver.PulseLauncher;
import io.pulse.bench.driver.PulseSetup;
import io.pulse.bench.driver.RunningPulse;
import io.pulse.bench.report.Charts;
import io.pulse.bench.report.InvocationResult;
import io.pulse.bench.report.ReportFiles;
import io.pulse.bench.report.Stats;
import io.pulse.bench.schedule.FunctionPlan;
import io.pulse.bench.schedule.ReplayOptions;
import io.pulse.bench.schedule.Schedule;
import io.pulse.bench.schedule.ScheduleGenerator;
import io.pulse.bench.trace.Trace;
import io.pulse.bench.trace.TraceReaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Replays one schedule under each policy, each on a fresh Pulse (or in turn on a running one), and compares them:
 * slowdowns from the measured latencies, cost from the control plane's accounting.
 */
public final class TraceExperiment {

  /**
   * A pool hit on the fake runtime: claim to ready. A containerd pool hit measured 26.6-31.3 ms from claim to the
   * first answer (docs/benchmarks.md, pool modes), against 100 ms for a creation: median 25 ms.
   */
  public static final String DEFAULT_POOL_START = "lognormal:25:0.3";

  /**
   * @param policies policies to run, each {@code POLICY}, {@code POLICY+prewarmN} or {@code POLICY+ekaMS} (see {@link PolicyVariant})
   * @param coldStart the fake runtime's cold-start distribution (a pool member's creation takes as long)
   * @param settleMillis after the last answer, how long to wait for the data planes' last usage reports
   * @param poolStart the fake runtime's pool hit: claim to ready
   * @param image a real runtime's function image: serves {@code /cgi-bin/sleep?ms=N} on port {@value #IMAGE_PORT},
   *     answering after sleeping N ms (worker-daemon's test image {@code TestImages.pushHttpd}); null: the fake
   *     function ({@code ?sleep=N})
   */
  public record Options(Path trace, ReplayOptions replay, List<String> policies, String runtime, String coldStart,
      Path out, String command, long settleMillis, String poolStart, @org.jspecify.annotations.Nullable String image) {

    public Options(Path trace, ReplayOptions replay, List<String> policies, String runtime, String coldStart,
        Path out, String command, long settleMillis, String poolStart) {
      this(trace, replay, policies, runtime, coldStart, out, command, settleMillis, poolStart, null);
    }

    public Options(Path trace, ReplayOptions replay, List<String> policies, String runtime, String coldStart,
        Path out, String command, long settleMillis) {
      this(trace, replay, policies, runtime, coldStart, out, command, settleMillis, DEFAULT_POOL_START);
    }
  }

  /** The port the image's httpd serves (its own IP per sandbox: CNI networking). */
  public static final int IMAGE_PORT = 8080;

  private TraceExperiment() {}

  public static JsonObject run(Options options, PulseLauncher launcher, PrintStream out) {
    Trace trace = TraceReaders.read(options.trace(), options.replay().functions());
    Schedule schedule = ScheduleGenerator.generate(trace, options.replay());
    out.printf("trace %s (%s): %d functions, %d invocations over %.1f s per policy%s%n", trace.source(),
        trace.format(), schedule.functions().size(), schedule.measuredCount(), schedule.spanMillis() / 1e3,
        leadIn(schedule));
    double compress = options.replay().compress();
    int keepAliveSeconds = keepAliveSeconds(compress);
    JsonObject policies = new JsonObject();
    Map<String, List<InvocationResult>> results = new LinkedHashMap<>();
    for (String policy : options.policies()) {
      PolicyRun run = runPolicy(schedule, policy, options.replay(), options, launcher, out);
      policies.put(policy, run.figures());
      results.put(policy, run.measured());
    }
    JsonObject summary = new JsonObject()
        .put("experiment", "trace")
        .put("command", options.command())
        .put("trace", trace.source())
        .put("runtime", options.runtime())
        .put("image", options.image())
        .put("functions", schedule.functions().size())
        .put("invocationsScheduled", schedule.measuredCount())
        .put("leadInSeconds", schedule.leadInMicros() / 1e6)
        .put("spanSeconds", schedule.spanMillis() / 1e3)
        .put("seed", options.replay().seed())
        .put("scaling", new JsonObject().put("compress", compress)
            .put("durationScale", options.replay().durationScale())
            .put("durationBoundsMs", new JsonArray(List.of(options.replay().minDurationMs(),
                options.replay().maxDurationMs())))
            .put("memoryScale", options.replay().memoryScale())
            .put("keepAliveSeconds", keepAliveSeconds)
            .put("fakeColdStart", options.coldStart()))
        .put("perFunctionInvocations", new JsonObject(new LinkedHashMap<>(schedule.perFunction())))
        .put("policies", policies);
    JsonObject comparison = compare(policies);
    if (comparison != null) {
      summary.put("comparison", comparison);
    }
    writeReport(options, summary, results, policies);
    return summary;
  }

  /** How the progress line names a lead-in: nothing when there is none. */
  static String leadIn(Schedule schedule) {
    long calls = schedule.invocations().size() - schedule.measuredCount();
    return schedule.leadInMicros() == 0 ? "" : String.format(" after a lead-in of %d invocations over %.1f s (not"
        + " measured)", calls, schedule.leadInMicros() / 1e6);
  }

  /** One policy's replay of a schedule: its figures, and every measured request's result. */
  record PolicyRun(JsonObject figures, List<InvocationResult> measured) {}

  /** A trace minute lasts 60/compress seconds; so does the functions' keep-alive. */
  static int keepAliveSeconds(double compress) {
    return (int) Math.max(1, Math.round(60 / compress));
  }

  /** Replays {@code schedule} under {@code policy} on a fresh Pulse (or the running one), then reads the accounting. */
  static PolicyRun runPolicy(Schedule schedule, String policy, ReplayOptions replay, Options options,
      PulseLauncher launcher, PrintStream out) {
    double compress = replay.compress();
    PolicyVariant variant = PolicyVariant.parse(policy);
    PulseSetup setup = new PulseSetup(options.runtime(), variant.policy(), options.coldStart(), replay.seed(),
        (int) Math.max(200, Math.round(2_000 / compress)), Math.max(2_000, Math.round(60_000 / compress)),
        256_000, 1_048_576, true,
        replay.maxDurationMs() + 2_000L).withDualTrack(variant.dualTrack());
    if (variant.pooled()) {
      // A budget that holds every function's members: the replay measures what pools do, not how a budget ranks them.
      int members = variant.budgetPerFunction();
      setup = setup.withPools(members * schedule.functions().size(), (long) members
          * schedule.functions().stream().mapToLong(FunctionPlan::memoryMiB).sum(), options.poolStart());
    }
    try (RunningPulse pulse = launcher.start(setup)) {
      ApiClient api = new ApiClient(pulse.apiUrl(), pulse.apiToken());
      for (FunctionPlan function : schedule.functions()) {
        api.deploy(spec(function, variant, keepAliveSeconds(compress), options.image()));
      }
      List<InvocationResult> sent;
      JsonObject atWindowStart;
      Optional<MachineCpu.Reading> cpuBefore = MachineCpu.read();
      try (OpenLoopDriver driver = new OpenLoopDriver(pulse.gatewayUrl(), 4_096, 120);
          AccountingAt windowStart = AccountingAt.after(api, schedule.leadInMicros())) {
        sent = driver.run(schedule.invocations(), i -> path(i, options.image() != null), out, policy, 120);
        atWindowStart = windowStart.get();
      }
      Optional<MachineCpu.Reading> cpuAfter = MachineCpu.read();
      awaitQuietly(options.settleMillis());
      JsonObject accounting = Accounts.between(atWindowStart, api.get("/v1/accounting"));
      List<String> names = schedule.functions().stream().map(FunctionPlan::name).toList();
      List<InvocationResult> measured = schedule.measured(sent);
      JsonObject figures = figures(measured, Accounts.of(accounting, names), schedule.spanMillis());
      putLogged(figures, pulse.loggedProblems(), policy, out);
      if (cpuBefore.isPresent() && cpuAfter.isPresent()) {
        putMachine(figures, MachineCpu.between(cpuBefore.get(), cpuAfter.get()), policy, out);
      }
      for (String name : names) {
        api.delete(name);
      }
      return new PolicyRun(figures, measured);
    }
  }

  /**
   * The run's WARN and ERROR counts in its figures (when the launcher sees its log), with the first errors; an error
   * is also said at once, since a failed request may be its only other trace.
   */
  static void putLogged(JsonObject figures, @org.jspecify.annotations.Nullable LoggedProblems logged, String policy,
      PrintStream out) {
    if (logged == null) {
      return;
    }
    figures.put("loggedErrors", logged.errors()).put("loggedWarnings", logged.warnings());
    if (logged.errors() > 0) {
      figures.put("loggedErrorSamples", new JsonArray(List.copyOf(logged.firstErrors())));
      out.printf("%n%s: %d error(s) logged during the run; the first: %s%n", policy, logged.errors(),
          logged.firstErrors().getFirst());
    }
  }

  /**
   * How busy the machine was while the policy's requests were sent (lead-in included), and how much of it was this
   * JVM, which on the fake runtime holds everything the run needs; with containerd its daemon, shims and sandboxes
   * count as other. Said at once, since a run beside another load is not comparable with one without.
   */
  static void putMachine(JsonObject figures, MachineCpu.Use use, String policy, PrintStream out) {
    figures.put("machine", new JsonObject().put("cores", use.cores()).put("busyCores", round(use.busyCores()))
        .put("benchCores", round(use.ownCores())).put("otherCores", round(use.otherCores())));
    out.printf("%n%s: %.2f of %d cores busy while it ran, %.2f of them this bench's JVM%n", policy, use.busyCores(),
        use.cores(), use.ownCores());
  }

  /** Where a request of {@code invocation} goes: the fake function's {@code ?sleep=}, or the image's sleeping CGI. */
  static String path(io.pulse.bench.schedule.Invocation invocation, boolean image) {
    return "/fn/" + invocation.function() + (image ? "/cgi-bin/sleep?ms=" : "/?sleep=") + invocation.durationMs();
  }

  static JsonObject spec(FunctionPlan function, PolicyVariant variant, int keepAliveSeconds,
      @org.jspecify.annotations.Nullable String image) {
    JsonObject scaling = new JsonObject().put("policy", variant.policy()).put("targetConcurrency", 1)
        .put("keepAliveSeconds", keepAliveSeconds);
    if (variant.pooled()) {
      scaling.put("prewarm", variant.prewarmSetting());
    }
    if (variant.emergencyKeepAliveMs() != PolicyVariant.DEFAULT) {
      scaling.put("emergencyKeepAliveMs", variant.emergencyKeepAliveMs());
    }
    JsonObject spec = new JsonObject().put("name", function.name());
    if (image == null) {
      spec.put("command", new JsonArray(List.of("fake")));
    } else {
      spec.put("image", image).put("port", IMAGE_PORT);
    }
    return spec.put("resources", new JsonObject().put("cpuMillis", 100).put("memoryMiB", function.memoryMiB()))
        .put("scaling", scaling)
        .put("timeoutSeconds", 120);
  }

  static JsonObject figures(List<InvocationResult> measured, Accounts accounts, long spanMillis) {
    Map<String, double[]> slowdowns = Stats.slowdownsByFunction(measured);
    double[] latencies = measured.stream().filter(InvocationResult::ok).mapToDouble(InvocationResult::latencyMs)
        .toArray();
    long failures = measured.stream().filter(r -> !r.ok()).count();
    long cold = measured.stream().filter(InvocationResult::cold).count();
    JsonObject p99PerFunction = new JsonObject();
    slowdowns.forEach((f, s) -> p99PerFunction.put(f, round(Stats.percentile(s, 0.99))));
    return new JsonObject()
        .put("invocations", measured.size())
        .put("failures", failures)
        .put("geomeanP99Slowdown", round(Stats.geomeanP99Slowdown(slowdowns)))
        .put("p50SlowdownMedian", round(Stats.p50SlowdownMedian(slowdowns)))
        .put("normalizedCost", nullable(Stats.normalizedCost(accounts.heldMiBSeconds(), accounts.busyMiBSeconds())))
        .put("coldStarts", cold)
        .put("regularCreated", accounts.regularCreated())
        .put("emergencyCreated", accounts.emergencyCreated())
        .put("instanceCreationsPerSecond",
            round((accounts.regularCreated() + accounts.emergencyCreated()) / (spanMillis / 1e3)))
        .put("memoryHeldMiBSeconds", round(accounts.heldMiBSeconds()))
        .put("memoryBusyMiBSeconds", round(accounts.busyMiBSeconds()))
        .put("poolMemoryHeldMiBSeconds", round(accounts.poolHeldMiBSeconds()))
        .put("memoryByKind", accounts.byKind())
        .put("memoryPerFunction", accounts.perFunction())
        .put("regularMeanCreationMs", round(accounts.regularMeanCreationMs()))
        .put("emergencyMeanCreationMs", round(accounts.emergencyMeanCreationMs()))
        .put("latencyP50Ms", round(Stats.percentile(latencies, 0.5)))
        .put("latencyP99Ms", round(Stats.percentile(latencies, 0.99)))
        .put("p99SlowdownPerFunction", p99PerFunction);
  }

  /** dual-track against kpa, when both ran: the goal is >= 35 % lower slowdown at <= equal cost. */
  private static @org.jspecify.annotations.Nullable JsonObject compare(JsonObject policies) {
    JsonObject dual = policies.getJsonObject("dual-track");
    JsonObject kpa = policies.getJsonObject("kpa");
    JsonObject variants = variantEffect(policies);
    if (dual == null || kpa == null) {
      return variants.isEmpty() ? null : new JsonObject().put("variantEffect", variants);
    }
    JsonObject comparison = new JsonObject();
    if (!variants.isEmpty()) {
      comparison.put("variantEffect", variants);
    }
    Double reduction = reductionPercent(dual, kpa);
    if (reduction != null) {
      comparison.put("dualTrackSlowdownReductionPercent", reduction);
    }
    Double ratio = costRatio(dual, kpa);
    if (ratio != null) {
      comparison.put("dualTrackCostRatio", ratio);
    }
    return comparison;
  }

  /**
   * Each variant ({@code dual-track+ika1}, {@code kpa+prewarm1}, ...) against its plain policy in the same run, when
   * that ran too: how much lower its slowdown is, its cost ratio (pool members' memory counted as held), and per
   * function what the setting changed ({@link #functionEffect}). Runs of one replay share the machine's moment and the
   * baseline's run, so this separates a setting's effect from the spread between runs.
   */
  static JsonObject variantEffect(JsonObject policies) {
    JsonObject effect = new JsonObject();
    for (String label : policies.fieldNames()) {
      String base = PolicyVariant.parse(label).base();
      if (base != null && policies.getJsonObject(base) != null) {
        JsonObject variant = policies.getJsonObject(label);
        JsonObject plain = policies.getJsonObject(base);
        effect.put(label, new JsonObject().put("vs", base)
            .put("slowdownReductionPercent", reductionPercent(variant, plain))
            .put("costRatio", costRatio(variant, plain))
            .put("functions", functionEffect(variant, plain)));
      }
    }
    return effect;
  }

  /**
   * Per function with calls under both: its p99 slowdown under the variant and under the plain policy, and the memory
   * the variant held more (MiB·s, every kind of instance): where a setting spent and what it bought.
   */
  static JsonObject functionEffect(JsonObject variant, JsonObject plain) {
    JsonObject mine = variant.getJsonObject("p99SlowdownPerFunction", new JsonObject());
    JsonObject theirs = plain.getJsonObject("p99SlowdownPerFunction", new JsonObject());
    JsonObject functions = new JsonObject();
    for (String function : mine.fieldNames()) {
      if (theirs.containsKey(function)) {
        functions.put(function, new JsonObject().put("p99Slowdown", mine.getDouble(function))
            .put("plainP99Slowdown", theirs.getDouble(function))
            .put("heldMiBSecondsMore", round(held(variant, function) - held(plain, function))));
      }
    }
    return functions;
  }

  /** What a function's instances of every kind held in a run (MiB·s); 0 when it had none. */
  private static double held(JsonObject figures, String function) {
    JsonObject kinds = figures.getJsonObject("memoryPerFunction", new JsonObject())
        .getJsonObject(function, new JsonObject());
    double held = 0;
    for (String kind : kinds.fieldNames()) {
      held += kinds.getJsonObject(kind).getDouble("heldMiBSeconds", 0.0);
    }
    return held;
  }

  /** How much lower (%) {@code policy}'s geomean p99 slowdown is than {@code baseline}'s; negative when higher. */
  static @org.jspecify.annotations.Nullable Double reductionPercent(JsonObject policy, JsonObject baseline) {
    Double mine = policy.getDouble("geomeanP99Slowdown");
    Double theirs = baseline.getDouble("geomeanP99Slowdown");
    return mine == null || theirs == null || !(theirs > 0) ? null : round(100 * (1 - mine / theirs));
  }

  /** {@code policy}'s normalized cost over {@code baseline}'s. */
  static @org.jspecify.annotations.Nullable Double costRatio(JsonObject policy, JsonObject baseline) {
    Double mine = policy.getDouble("normalizedCost");
    Double theirs = baseline.getDouble("normalizedCost");
    return mine == null || theirs == null || !(theirs > 0) ? null : round(mine / theirs);
  }

  private static void writeReport(Options options, JsonObject summary, Map<String, List<InvocationResult>> results,
      JsonObject policies) {
    Path dir = options.out();
    ReportFiles.summary(dir, summary);
    ReportFiles.invocations(dir, results);
    Map<String, double[]> latencies = new LinkedHashMap<>();
    results.forEach((policy, list) -> latencies.put(policy,
        list.stream().filter(InvocationResult::ok).mapToDouble(InvocationResult::latencyMs).toArray()));
    Map<String, String> charts = new LinkedHashMap<>();
    Charts.latencyCdf(dir.resolve("latency-cdf.png"), "End-to-end latency per policy", latencies);
    charts.put("latency-cdf.png", "Latency CDF per policy");
    List<String> functions = new ArrayList<>();
    Map<String, List<Double>> bars = new LinkedHashMap<>();
    for (String policy : policies.fieldNames()) {
      JsonObject perFunction = policies.getJsonObject(policy).getJsonObject("p99SlowdownPerFunction");
      perFunction.fieldNames().forEach(f -> {
        if (!functions.contains(f)) {
          functions.add(f);
        }
      });
    }
    for (String policy : policies.fieldNames()) {
      JsonObject perFunction = policies.getJsonObject(policy).getJsonObject("p99SlowdownPerFunction");
      bars.put(policy, functions.stream().map(f -> {
        Double value = perFunction.getDouble(f);
        return value == null || !(value > 0) ? 1.0 : value; // a log axis takes positive values only
      }).toList());
    }
    if (!functions.isEmpty()) {
      Charts.bars(dir.resolve("slowdown-per-function.png"), "p99 slowdown per function", "p99 slowdown",
          functions, bars, false);
      charts.put("slowdown-per-function.png", "p99 slowdown per function and policy");
    }
    Map<String, double[]> points = new LinkedHashMap<>();
    for (String policy : policies.fieldNames()) {
      JsonObject p = policies.getJsonObject(policy);
      Double cost = p.getDouble("normalizedCost");
      Double slowdown = p.getDouble("geomeanP99Slowdown");
      if (cost != null && slowdown != null) {
        points.put(policy, new double[] {cost, slowdown});
      }
    }
    if (!points.isEmpty()) {
      Charts.scatter(dir.resolve("cost-vs-performance.png"), "Cost against performance per policy",
          "normalized cost (held / busy memory)", "geomean p99 slowdown", points);
      charts.put("cost-vs-performance.png", "Cost against performance (lower left is better)");
    }
    ReportFiles.html(dir, "Pulse trace replay", options.command(), summary, charts);
  }

  static @org.jspecify.annotations.Nullable Double nullable(@org.jspecify.annotations.Nullable Double value) {
    return value == null ? null : round(value);
  }

  static Double round(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return null;
    }
    return Math.round(value * 1000) / 1000.0;
  }

  static void awaitQuietly(long millis) {
    try {
      Thread.sleep(millis); // lets the data planes' next usage report reach the control plane
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
