package io.pulse.bench.experiment;

import static io.pulse.bench.experiment.TraceExperiment.round;

import io.pulse.bench.driver.ApiClient;
import io.pulse.bench.driver.OpenLoopDriver;
import io.pulse.bench.driver.PulseLauncher;
import io.pulse.bench.driver.PulseSetup;
import io.pulse.bench.driver.RawSandboxProbe;
import io.pulse.bench.driver.RunningPulse;
import io.pulse.bench.report.Charts;
import io.pulse.bench.report.InvocationResult;
import io.pulse.bench.report.ReportFiles;
import io.pulse.bench.report.Stats;
import io.pulse.bench.schedule.Invocation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cold starts per second, swept: every request goes to a function with no instance, so each one is a cold start;
 * p50/p99 end to end per rate, against the same runtime's own create+start+ready of the same sandbox, measured in the
 * same run straight on the worker.
 */
public final class ColdStartExperiment {

  public record Options(List<Integer> rates, int seconds, String policy, String runtime, String coldStart, long seed,
      int rawSamples, Path out, String command) {}

  private ColdStartExperiment() {}

  public static JsonObject run(Options options, PulseLauncher launcher, PrintStream out) {
    JsonObject perRate = new JsonObject();
    Map<String, List<InvocationResult>> results = new LinkedHashMap<>();
    JsonObject raw;
    PulseSetup setup = new PulseSetup(options.runtime(), options.policy(), options.coldStart(), options.seed(), 2_000,
        60_000, 256_000, 1_048_576, true, 1_000);
    try (RunningPulse pulse = launcher.start(setup)) {
      ApiClient api = new ApiClient(pulse.apiUrl(), pulse.apiToken());
      String worker = api.firstWorkerAddress(java.time.Duration.ofSeconds(30));
      out.println("raw sandbox creations on " + worker + " ...");
      List<RawSandboxProbe.Sample> samples = RawSandboxProbe.measure(worker, options.rawSamples(), 64);
      double[] runtimeMs = samples.stream().mapToDouble(RawSandboxProbe.Sample::runtimeMs).toArray();
      double[] roundTripMs = samples.stream().mapToDouble(RawSandboxProbe.Sample::roundTripMs).toArray();
      raw = new JsonObject().put("samples", samples.size())
          .put("runtimeP50Ms", round(Stats.percentile(runtimeMs, 0.5)))
          .put("runtimeP99Ms", round(Stats.percentile(runtimeMs, 0.99)))
          .put("roundTripP50Ms", round(Stats.percentile(roundTripMs, 0.5)));
      double rawP50 = Stats.percentile(runtimeMs, 0.5);
      int generation = 0;
      for (int rate : options.rates()) {
        int count = rate * options.seconds();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          String name = "c" + generation + "-" + i;
          names.add(name);
          api.deploy(new JsonObject().put("name", name).put("command", new JsonArray(List.of("fake")))
              .put("resources", new JsonObject().put("cpuMillis", 100).put("memoryMiB", 64))
              .put("scaling", new JsonObject().put("policy", options.policy()).put("keepAliveSeconds", 5)));
        }
        List<Invocation> schedule = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          schedule.add(new Invocation(names.get(i), Math.round(i * 1e6 / rate), 0));
        }
        List<InvocationResult> measured;
        try (OpenLoopDriver driver = new OpenLoopDriver(pulse.gatewayUrl(), 4_096, 60)) {
          measured = driver.run(schedule, i -> "/fn/" + i.function() + "/?sleep=0", out, rate + "/s", 60);
        }
        double[] latencies = measured.stream().filter(InvocationResult::ok).mapToDouble(InvocationResult::latencyMs)
            .toArray();
        double p50 = Stats.percentile(latencies, 0.5);
        perRate.put(Integer.toString(rate), new JsonObject().put("requests", measured.size())
            .put("failures", measured.stream().filter(r -> !r.ok()).count())
            .put("p50Ms", round(p50)).put("p99Ms", round(Stats.percentile(latencies, 0.99)))
            .put("overheadRatio", round(p50 / rawP50 - 1)));
        results.put(rate + "/s", measured);
        names.forEach(api::delete);
        generation++;
      }
    }
    double[] pooled = results.values().stream().flatMap(List::stream).filter(InvocationResult::ok)
        .mapToDouble(InvocationResult::latencyMs).toArray();
    double pooledP50 = Stats.percentile(pooled, 0.5);
    JsonObject summary = new JsonObject().put("experiment", "coldstart").put("command", options.command())
        .put("runtime", options.runtime()).put("policy", options.policy()).put("fakeColdStart", options.coldStart())
        .put("raw", raw).put("p50Ms", round(pooledP50))
        .put("overheadRatio", round(pooledP50 / raw.getDouble("runtimeP50Ms", Double.NaN) - 1)).put("rates", perRate);
    Path dir = options.out();
    ReportFiles.summary(dir, summary);
    ReportFiles.invocations(dir, results);
    Map<String, double[]> cdf = new LinkedHashMap<>();
    results.forEach((rate, list) -> cdf.put(rate, list.stream().filter(InvocationResult::ok)
        .mapToDouble(InvocationResult::latencyMs).toArray()));
    Charts.latencyCdf(dir.resolve("coldstart-cdf.png"), "Cold-start latency per rate", cdf);
    double[] x = options.rates().stream().mapToDouble(Integer::doubleValue).toArray();
    Map<String, double[]> lines = new LinkedHashMap<>();
    lines.put("p50", options.rates().stream().mapToDouble(r -> value(perRate, r, "p50Ms")).toArray());
    lines.put("p99", options.rates().stream().mapToDouble(r -> value(perRate, r, "p99Ms")).toArray());
    double rawP50 = raw.getDouble("runtimeP50Ms", 0.0);
    lines.put("runtime create+start+ready p50", options.rates().stream().mapToDouble(r -> rawP50).toArray());
    Charts.lines(dir.resolve("coldstart-rates.png"), "Cold-start latency against rate", "cold starts per second",
        "latency (ms)", x, lines);
    Map<String, String> charts = new LinkedHashMap<>();
    charts.put("coldstart-rates.png", "p50/p99 end to end against the runtime's own time");
    charts.put("coldstart-cdf.png", "Latency CDF per rate");
    ReportFiles.html(dir, "Pulse cold-start sweep", options.command(), summary, charts);
    return summary;
  }

  private static double value(JsonObject perRate, int rate, String key) {
    Double v = perRate.getJsonObject(Integer.toString(rate)).getDouble(key);
    return v == null ? 0 : v;
  }
}
