package io.pulse.bench.experiment;

import io.pulse.bench.driver.PulseLauncher;
import io.pulse.bench.report.Charts;
import io.pulse.bench.report.InvocationResult;
import io.pulse.bench.report.ReportFiles;
import io.pulse.bench.report.Stats;
import io.pulse.bench.schedule.ReplayOptions;
import io.pulse.bench.schedule.Schedule;
import io.pulse.bench.schedule.ScheduleGenerator;
import io.pulse.bench.schedule.TraceWindows;
import io.pulse.bench.trace.Trace;
import io.pulse.bench.trace.TraceReaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bench that cannot flatter a policy: windows (minute ranges and function sets) drawn from the trace by seed,
 * every policy on each, their order rotating from window to window so that whatever else loads the machine hits all
 * of them alike (after an unmeasured warm-up of each); per window and over all windows (median, quartiles, range), each policy's geomean-p99-slowdown
 * reduction and cost ratio against kpa.
 */
public final class TraceWindowsExperiment {

  /**
   * @param windows how many windows to draw
   * @param minutes length of a window in trace minutes
   * @param minInvocations a window with fewer calls is drawn again
   * @param seed seeds the draw (and through it each window's arrivals and execution times)
   * @param only run only this one of the drawn windows (1-based; the draw is the same as with all of them); 0: all
   * @param repeats run each selected window this many times (labelled {@code w3}, {@code w3-2}, ...), the policies'
   *     order rotating on: the spread between runs of one window, measured beside each other
   */
  public record Plan(int windows, int minutes, int minInvocations, long seed, int only, int repeats) {

    public Plan {
      if (windows < 1) {
        throw new IllegalArgumentException("--windows must be at least 1, was " + windows);
      }
      if (only < 0 || only > windows) {
        throw new IllegalArgumentException("--window must be 1.." + windows + " (one of the --windows drawn), was "
            + only);
      }
      if (repeats < 1 || repeats > 100) {
        throw new IllegalArgumentException("--repeat must be 1..100, was " + repeats);
      }
    }

    /** Every drawn window, once. */
    public Plan(int windows, int minutes, int minInvocations, long seed) {
      this(windows, minutes, minInvocations, seed, 0, 1);
    }

    /** The runs this plan makes of the drawn windows, in order, each with its label. */
    List<Run> runs(List<ReplayOptions> drawn) {
      List<Run> runs = new ArrayList<>();
      for (int w = 0; w < drawn.size(); w++) {
        if (only != 0 && w + 1 != only) {
          continue;
        }
        for (int r = 1; r <= repeats; r++) {
          runs.add(new Run("w" + (w + 1) + (r == 1 ? "" : "-" + r), drawn.get(w)));
        }
      }
      return runs;
    }
  }

  /** One window as run: its label in the report, and its replay. */
  record Run(String label, ReplayOptions replay) {}

  private static final String BASELINE = "kpa";
  private static final int WARM_UP_MINUTES = 2;

  private TraceWindowsExperiment() {}

  public static JsonObject run(TraceExperiment.Options options, Plan plan, PulseLauncher launcher,
      PrintStream out) {
    if (!options.policies().contains(BASELINE)) {
      throw new IllegalArgumentException("--policies must include kpa (the baseline of the comparison)");
    }
    // The pool to sample from: at least 100 functions where the trace has them, so windows differ in function set.
    Trace trace = TraceReaders.read(options.trace(), Math.max(100, options.replay().functions()));
    List<ReplayOptions> windows = TraceWindows.draw(trace, options.replay(), plan.windows(), plan.minutes(),
        plan.minInvocations(), plan.seed());
    List<Run> runs = plan.runs(windows);
    warmUp(trace, runs.getFirst().replay(), options, launcher, out);
    JsonArray perWindow = new JsonArray();
    Map<String, List<InvocationResult>> results = new LinkedHashMap<>();
    for (int w = 0; w < runs.size(); w++) {
      ReplayOptions replay = runs.get(w).replay();
      Schedule schedule = ScheduleGenerator.generate(trace, replay);
      String label = runs.get(w).label();
      out.printf("%s: minutes %d-%d, %d functions, %d invocations (seed %d)%s%n", label, replay.fromMinute(),
          replay.toMinute(), schedule.functions().size(), schedule.measuredCount(), replay.seed(),
          TraceExperiment.leadIn(schedule));
      JsonObject policies = new JsonObject();
      for (String policy : rotated(options.policies(), w)) {
        TraceExperiment.PolicyRun run = TraceExperiment.runPolicy(schedule, policy, replay, options, launcher, out);
        policies.put(policy, run.figures().copy());
        results.put(label + "/" + policy, run.measured());
      }
      perWindow.add(window(label, replay, schedule, order(options.policies(), policies)));
    }
    JsonObject summary = new JsonObject()
        .put("experiment", "trace-windows")
        .put("command", options.command())
        .put("trace", trace.source())
        .put("windowSeed", plan.seed())
        .put("windowMinutes", plan.minutes())
        .put("windowsDrawn", plan.windows())
        .put("onlyWindow", plan.only())
        .put("repeats", plan.repeats())
        .put("functionsPerWindow", options.replay().functions())
        .put("compress", options.replay().compress())
        .put("leadInMinutes", options.replay().leadInMinutes())
        .put("fakeColdStart", options.coldStart())
        .put("vsKpa", overWindows(perWindow, options.policies()))
        .put("problems", problemsOverWindows(perWindow, options.policies()))
        .put("variantEffect", variantEffectOverWindows(perWindow))
        .put("windows", perWindow);
    writeReport(options, summary, results);
    return summary;
  }

  /**
   * Every policy runs the first {@value #WARM_UP_MINUTES} trace minutes of the first window once, unmeasured: the
   * first Pulse started in this JVM runs before the JIT has compiled anything and answers seconds late, which would
   * count against whichever policy happens to go first.
   */
  private static void warmUp(Trace trace, ReplayOptions first, TraceExperiment.Options options,
      PulseLauncher launcher, PrintStream out) {
    ReplayOptions warmUp = new ReplayOptions(first.functions(), first.sample(), first.fromMinute(),
        Math.min(first.toMinute(), first.fromMinute() + WARM_UP_MINUTES), first.compress(), first.durationScale(),
        first.minDurationMs(), first.maxDurationMs(), first.memoryScale(), first.minMemoryMiB(), first.maxMemoryMiB(),
        first.seed());
    Schedule schedule = ScheduleGenerator.generate(trace, warmUp);
    out.printf("warm-up (not measured): %d invocations per policy%n", schedule.invocations().size());
    for (String policy : options.policies()) {
      TraceExperiment.runPolicy(schedule, policy, warmUp, options, launcher, out);
    }
  }

  /** The policies in the order window {@code w} runs them: rotated by one per window. */
  static List<String> rotated(List<String> policies, int w) {
    List<String> order = new ArrayList<>(policies.size());
    for (int i = 0; i < policies.size(); i++) {
      order.add(policies.get((i + w) % policies.size()));
    }
    return order;
  }

  private static JsonObject order(List<String> policies, JsonObject unordered) {
    JsonObject ordered = new JsonObject();
    policies.forEach(p -> ordered.put(p, unordered.getJsonObject(p)));
    return ordered;
  }

  private static JsonObject window(String label, ReplayOptions replay, Schedule schedule, JsonObject policies) {
    JsonObject kpa = policies.getJsonObject(BASELINE);
    JsonObject vsKpa = new JsonObject();
    JsonObject brief = new JsonObject();
    for (String policy : policies.fieldNames()) {
      JsonObject figures = policies.getJsonObject(policy);
      brief.put(policy, new JsonObject()
          .put("geomeanP99Slowdown", figures.getValue("geomeanP99Slowdown"))
          .put("normalizedCost", figures.getValue("normalizedCost"))
          .put("failures", figures.getValue("failures"))
          .put("regularCreated", figures.getValue("regularCreated"))
          .put("emergencyCreated", figures.getValue("emergencyCreated"))
          .put("poolMemoryHeldMiBSeconds", figures.getValue("poolMemoryHeldMiBSeconds"))
          .put("latencyP99Ms", figures.getValue("latencyP99Ms"))
          .put("memoryHeldMiBSeconds", figures.getValue("memoryHeldMiBSeconds"))
          .put("memoryBusyMiBSeconds", figures.getValue("memoryBusyMiBSeconds"))
          .put("memoryByKind", figures.getValue("memoryByKind"))
          .put("memoryPerFunction", figures.getValue("memoryPerFunction"))
          .put("p99SlowdownPerFunction", figures.getValue("p99SlowdownPerFunction")));
      for (String optional : List.of("loggedErrors", "loggedWarnings", "loggedErrorSamples", "machine")) {
        if (figures.containsKey(optional)) {
          brief.getJsonObject(policy).put(optional, figures.getValue(optional));
        }
      }
      if (!policy.equals(BASELINE)) {
        vsKpa.put(policy, new JsonObject()
            .put("slowdownReductionPercent", TraceExperiment.reductionPercent(figures, kpa))
            .put("costRatio", TraceExperiment.costRatio(figures, kpa)));
      }
    }
    return new JsonObject().put("window", label).put("minutes", replay.fromMinute() + "-" + replay.toMinute())
        .put("seed", replay.seed()).put("functions", schedule.functions().size())
        .put("leadInMinutes", replay.fromMinute() - replay.leadInFromMinute())
        .put("invocations", schedule.measuredCount()).put("policies", brief).put("vsKpa", vsKpa)
        .put("variantEffect", TraceExperiment.variantEffect(policies));
  }

  /**
   * Per policy against kpa: the spread over windows of the reduction and the cost ratio, the windows it lost, and those
   * where it cost more than kpa.
   */
  static JsonObject overWindows(JsonArray windows, List<String> policies) {
    JsonObject all = new JsonObject();
    for (String policy : policies) {
      if (policy.equals(BASELINE)) {
        continue;
      }
      List<Double> reductions = new ArrayList<>();
      List<Double> ratios = new ArrayList<>();
      int worse = 0;
      int dearer = 0;
      for (int i = 0; i < windows.size(); i++) {
        JsonObject vs = windows.getJsonObject(i).getJsonObject("vsKpa").getJsonObject(policy);
        Double reduction = vs.getDouble("slowdownReductionPercent");
        Double ratio = vs.getDouble("costRatio");
        if (reduction != null) {
          reductions.add(reduction);
          worse += reduction < 0 ? 1 : 0;
        }
        if (ratio != null) {
          ratios.add(ratio);
          dearer += ratio > 1 ? 1 : 0;
        }
      }
      all.put(policy, new JsonObject()
          .put("slowdownReductionPercent", spread(reductions))
          .put("costRatio", spread(ratios))
          .put("windowsWorseThanKpa", worse)
          .put("windowsAboveKpaCost", dearer));
    }
    return all;
  }

  /**
   * Per policy, over the windows: its failed requests, what its Pulse logged at ERROR and WARN (the latter two absent
   * when the launcher could not see the log), and the most cores anything but the bench used in one of its runs
   * (absent without {@code /proc}).
   */
  static JsonObject problemsOverWindows(JsonArray windows, List<String> policies) {
    JsonObject all = new JsonObject();
    for (String policy : policies) {
      long failures = 0;
      Long errors = 0L;
      Long warnings = 0L;
      Double otherCores = null;
      for (int i = 0; i < windows.size(); i++) {
        JsonObject figures = windows.getJsonObject(i).getJsonObject("policies").getJsonObject(policy);
        failures += figures.getLong("failures", 0L);
        JsonObject machine = figures.getJsonObject("machine");
        if (machine != null) {
          otherCores = Math.max(otherCores == null ? 0 : otherCores, machine.getDouble("otherCores"));
        }
        Long e = figures.getLong("loggedErrors");
        Long w = figures.getLong("loggedWarnings");
        errors = errors == null || e == null ? null : errors + e;
        warnings = warnings == null || w == null ? null : warnings + w;
      }
      JsonObject one = new JsonObject().put("failures", failures);
      if (errors != null) {
        one.put("loggedErrors", errors).put("loggedWarnings", warnings);
      }
      if (otherCores != null) {
        one.put("maxOtherCores", otherCores);
      }
      all.put(policy, one);
    }
    return all;
  }

  /** Per variant, against its plain policy of the same runs: the spread over windows of both figures. */
  static JsonObject variantEffectOverWindows(JsonArray windows) {
    Map<String, List<Double>> reductions = new LinkedHashMap<>();
    Map<String, List<Double>> ratios = new LinkedHashMap<>();
    Map<String, String> bases = new LinkedHashMap<>();
    for (int i = 0; i < windows.size(); i++) {
      JsonObject effect = windows.getJsonObject(i).getJsonObject("variantEffect", new JsonObject());
      for (String policy : effect.fieldNames()) {
        JsonObject vs = effect.getJsonObject(policy);
        bases.put(policy, vs.getString("vs"));
        List<Double> r = reductions.computeIfAbsent(policy, p -> new ArrayList<>());
        List<Double> c = ratios.computeIfAbsent(policy, p -> new ArrayList<>());
        if (vs.getDouble("slowdownReductionPercent") != null) {
          r.add(vs.getDouble("slowdownReductionPercent"));
        }
        if (vs.getDouble("costRatio") != null) {
          c.add(vs.getDouble("costRatio"));
        }
      }
    }
    JsonObject all = new JsonObject();
    bases.forEach((policy, base) -> all.put(policy, new JsonObject().put("vs", base)
        .put("slowdownReductionPercent", spread(reductions.get(policy)))
        .put("costRatio", spread(ratios.get(policy)))));
    return all;
  }

  /** Median, quartiles and range (nearest rank); empty when there is no value. */
  static JsonObject spread(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    if (v.length == 0) {
      return new JsonObject();
    }
    return new JsonObject().put("median", TraceExperiment.round(Stats.percentile(v, 0.5)))
        .put("p25", TraceExperiment.round(Stats.percentile(v, 0.25)))
        .put("p75", TraceExperiment.round(Stats.percentile(v, 0.75)))
        .put("min", TraceExperiment.round(Stats.percentile(v, 0)))
        .put("max", TraceExperiment.round(Stats.percentile(v, 1)))
        .put("windows", v.length);
  }

  private static void writeReport(TraceExperiment.Options options, JsonObject summary,
      Map<String, List<InvocationResult>> results) {
    ReportFiles.summary(options.out(), summary);
    ReportFiles.invocations(options.out(), results);
    JsonArray windows = summary.getJsonArray("windows");
    List<String> labels = new ArrayList<>();
    Map<String, List<Double>> reductions = new LinkedHashMap<>();
    Map<String, List<Double>> ratios = new LinkedHashMap<>();
    for (int i = 0; i < windows.size(); i++) {
      JsonObject window = windows.getJsonObject(i);
      labels.add(window.getString("window") + " (" + window.getString("minutes") + ")");
      JsonObject vs = window.getJsonObject("vsKpa");
      for (String policy : vs.fieldNames()) {
        Double reduction = vs.getJsonObject(policy).getDouble("slowdownReductionPercent");
        Double ratio = vs.getJsonObject(policy).getDouble("costRatio");
        reductions.computeIfAbsent(policy, p -> new ArrayList<>()).add(reduction == null ? 0.0 : reduction);
        ratios.computeIfAbsent(policy, p -> new ArrayList<>()).add(ratio == null ? 0.0 : ratio);
      }
    }
    Map<String, String> charts = new LinkedHashMap<>();
    if (!reductions.isEmpty()) {
      Charts.bars(options.out().resolve("reduction-per-window.png"),
          "Geomean p99 slowdown reduction vs kpa per window (%)", "reduction (%)", labels, reductions, false);
      charts.put("reduction-per-window.png", "Slowdown reduction against kpa, per window (higher is better)");
      Charts.bars(options.out().resolve("cost-ratio-per-window.png"), "Normalized cost / kpa's per window",
          "cost ratio", labels, ratios, false);
      charts.put("cost-ratio-per-window.png", "Cost ratio against kpa, per window (1.0 = equal cost)");
    }
    ReportFiles.html(options.out(), "Pulse trace replay over drawn windows", options.command(), summary, charts);
  }
}
