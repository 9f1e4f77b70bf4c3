package io.pulse.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.bench.experiment.TraceExperiment;
import io.pulse.cli.PulseCommandAccess;
import io.pulse.bench.experiment.TraceWindowsExperiment;
import io.pulse.bench.schedule.ReplayOptions;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench end to end, kept short: the loader example trace (4 functions) compressed 30x, replayed
 * on a fresh all-in-one Pulse with the fake runtime; the summary's figures come from real requests and the control
 * plane's accounting.
 */
class BenchTraceTest {

  private static final Path TRACES = io.pulse.bench.trace.SharedTraces.locate().orElse(Path.of("shared/traces"));

  @org.junit.jupiter.api.BeforeAll
  static void requireSharedTraces() {
    org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(TRACES),
        "the shared traces (shared/traces beside the project) were not found; set PULSE_TRACES to run these tests");
  }

  @Test
  void traceReplay_dualTrack_answersEveryRequestAndAccountsForItsInstances(@TempDir Path out) throws Exception {
    ReplayOptions replay = new ReplayOptions(4, false, 1, 3, 30, 0.5, 10, 500, 1, 16, 256, 7);
    ByteArrayOutputStream progress = new ByteArrayOutputStream();

    JsonObject summary = TraceExperiment.run(new TraceExperiment.Options(TRACES.resolve("loader_example"), replay,
        List.of("dual-track"), "fake", "uniform:20:60", out, "test", 1_500), new BenchLauncher(),
        new PrintStream(progress, true));

    JsonObject figures = summary.getJsonObject("policies").getJsonObject("dual-track");
    int scheduled = summary.getInteger("invocationsScheduled");
    assertThat(scheduled).isPositive();
    assertThat(figures.getInteger("invocations")).isEqualTo(scheduled);
    assertThat(figures.getLong("failures")).isZero();
    assertThat(figures.getDouble("geomeanP99Slowdown")).isGreaterThanOrEqualTo(1.0);
    assertThat(figures.getLong("regularCreated") + figures.getLong("emergencyCreated")).isPositive();
    assertThat(figures.getDouble("normalizedCost")).as("accounting saw busy memory").isNotNull()
        .isGreaterThanOrEqualTo(1.0);
    // What the cost is made of: the tracks' held memory adds up to the whole, and its creations to the counts.
    JsonObject byKind = figures.getJsonObject("memoryByKind");
    double held = byKind.getJsonObject("regular").getDouble("heldMiBSeconds")
        + byKind.getJsonObject("emergency").getDouble("heldMiBSeconds")
        + byKind.getJsonObject("pool").getDouble("heldMiBSeconds");
    assertThat(held).isCloseTo(figures.getDouble("memoryHeldMiBSeconds"), org.assertj.core.data.Offset.offset(0.01));
    assertThat(byKind.getJsonObject("emergency").getLong("creations")).isEqualTo(figures.getLong("emergencyCreated"));
    assertThat(figures.getJsonObject("memoryPerFunction").fieldNames()).isNotEmpty();
    assertThat(out.resolve("summary.json")).exists();
    assertThat(Files.readAllLines(out.resolve("invocations.csv"))).hasSize(scheduled + 1);
    assertThat(out.resolve("report.html")).exists();
    assertThat(out.resolve("latency-cdf.png")).exists();
    assertThat(progress.toString()).contains("dual-track: sent " + scheduled + "/" + scheduled);
  }

  @Test
  void traceReplay_withALeadIn_sendsItFirst_andMeasuresTheWindowOnly(@TempDir Path out) throws Exception {
    ReplayOptions replay = new ReplayOptions(4, false, 2, 3, 30, 0.5, 10, 500, 1, 16, 256, 7).withLeadIn(1);
    var schedule = io.pulse.bench.schedule.ScheduleGenerator.generate(
        io.pulse.bench.trace.TraceReaders.read(TRACES.resolve("loader_example"), 4), replay);
    int sent = schedule.invocations().size();
    ByteArrayOutputStream progress = new ByteArrayOutputStream();

    JsonObject summary = TraceExperiment.run(new TraceExperiment.Options(TRACES.resolve("loader_example"), replay,
        List.of("kpa"), "fake", "uniform:20:60", out, "test", 1_500), new BenchLauncher(),
        new PrintStream(progress, true));

    int measured = summary.getInteger("invocationsScheduled");
    assertThat(measured).isPositive().isLessThan(sent).isEqualTo(schedule.measuredCount());
    assertThat(summary.getDouble("leadInSeconds")).isEqualTo(2.0);
    JsonObject figures = summary.getJsonObject("policies").getJsonObject("kpa");
    assertThat(figures.getInteger("invocations")).isEqualTo(measured);
    assertThat(figures.getLong("failures")).isZero();
    assertThat(figures.getDouble("normalizedCost")).as("the window's own busy memory").isNotNull()
        .isGreaterThanOrEqualTo(1.0);
    assertThat(progress.toString()).contains("kpa: sent " + sent + "/" + sent).contains("lead-in of "
        + (sent - measured) + " invocations");
    List<String> rows = Files.readAllLines(out.resolve("invocations.csv"));
    assertThat(rows).hasSize(measured + 1);
    assertThat(rows.subList(1, rows.size())).allMatch(row -> Double.parseDouble(row.split(",")[2]) >= 2_000);
  }

  @Test
  void traceReplay_withPools_onTheFakeRuntime_chargesTheMembersAsHeldMemory_andComparesWithoutPools(@TempDir Path out)
      throws Exception {
    ReplayOptions replay = new ReplayOptions(4, false, 1, 3, 30, 0.5, 10, 500, 1, 16, 256, 7);
    ByteArrayOutputStream progress = new ByteArrayOutputStream();

    JsonObject summary = TraceExperiment.run(new TraceExperiment.Options(TRACES.resolve("loader_example"), replay,
        io.pulse.bench.experiment.PolicyVariant.withPools(List.of("kpa"), "1"), "fake", "uniform:20:60", out, "test",
        1_500, "const:5"), new BenchLauncher(), new PrintStream(progress, true));

    JsonObject policies = summary.getJsonObject("policies");
    assertThat(policies.fieldNames()).containsExactly("kpa", "kpa+prewarm1");
    JsonObject pooled = policies.getJsonObject("kpa+prewarm1");
    assertThat(pooled.getLong("failures")).isZero();
    assertThat(pooled.getInteger("invocations")).isEqualTo(summary.getInteger("invocationsScheduled"));
    assertThat(pooled.getDouble("poolMemoryHeldMiBSeconds")).as("pool members are held memory").isPositive();
    assertThat(pooled.getDouble("memoryHeldMiBSeconds")).isGreaterThan(pooled.getDouble("poolMemoryHeldMiBSeconds"));
    assertThat(policies.getJsonObject("kpa").getDouble("poolMemoryHeldMiBSeconds")).isZero();
    JsonObject effect = summary.getJsonObject("comparison").getJsonObject("variantEffect")
        .getJsonObject("kpa+prewarm1");
    assertThat(effect.getString("vs")).isEqualTo("kpa");
    assertThat(effect.getDouble("costRatio")).isPositive();
  }

  @Test
  void traceWindows_runEveryPolicyOnEachDrawnWindow_andCompareWithKpa(@TempDir Path out) throws Exception {
    ReplayOptions base = new ReplayOptions(4, false, 1, 3, 30, 0.5, 10, 500, 1, 16, 256, 7);
    ByteArrayOutputStream progress = new ByteArrayOutputStream();

    JsonObject summary = TraceWindowsExperiment.run(new TraceExperiment.Options(TRACES.resolve("loader_example"),
        base, List.of("dual-track", "kpa"), "fake", "uniform:20:60", out, "test", 1_500),
        new TraceWindowsExperiment.Plan(2, 2, 10, 5), new BenchLauncher(), new PrintStream(progress, true));

    var windows = summary.getJsonArray("windows");
    assertThat(windows).hasSize(2);
    for (int i = 0; i < 2; i++) {
      JsonObject window = windows.getJsonObject(i);
      int scheduled = window.getInteger("invocations");
      assertThat(scheduled).isGreaterThanOrEqualTo(10);
      for (String policy : List.of("dual-track", "kpa")) {
        JsonObject figures = window.getJsonObject("policies").getJsonObject(policy);
        assertThat(figures.getLong("failures")).as(policy + " in " + window.getString("window")).isZero();
        assertThat(figures.getLong("loggedErrors")).as(policy + " in " + window.getString("window") + ": "
            + figures.getValue("loggedErrorSamples")).isZero();
        assertThat(figures.getDouble("geomeanP99Slowdown")).isGreaterThanOrEqualTo(1.0);
        assertThat(progress.toString()).contains(policy + ": sent " + scheduled + "/" + scheduled);
        JsonObject machine = figures.getJsonObject("machine");
        assertThat(machine.getDouble("benchCores")).as("the replay's own JVM worked").isPositive();
        assertThat(machine.getInteger("cores")).isPositive();
      }
      assertThat(window.getJsonObject("vsKpa").getJsonObject("dual-track").getDouble("costRatio")).isPositive();
    }
    JsonObject dual = summary.getJsonObject("vsKpa").getJsonObject("dual-track");
    assertThat(summary.getJsonObject("problems").getJsonObject("kpa").getLong("loggedErrors")).isZero();
    assertThat(summary.getJsonObject("problems").getJsonObject("kpa").getDouble("maxOtherCores")).isNotNull();
    assertThat(dual.getJsonObject("slowdownReductionPercent").getInteger("windows")).isEqualTo(2);
    assertThat(dual.getJsonObject("costRatio").getInteger("windows")).isEqualTo(2);
    // The second window ran kpa first: the order rotates.
    String log = progress.toString();
    assertThat(log).contains("warm-up (not measured)");
    assertThat(log.indexOf("warm-up")).isLessThan(log.indexOf("w1:"));
    int w2 = log.indexOf("w2:");
    assertThat(log.indexOf("kpa: sent", w2)).isLessThan(log.indexOf("dual-track: sent", w2));
    assertThat(out.resolve("reduction-per-window.png")).exists();
    assertThat(out.resolve("cost-ratio-per-window.png")).exists();
    assertThat(out.resolve("report.html")).exists();
    assertThat(Files.readAllLines(out.resolve("invocations.csv")).get(1)).startsWith("w1/dual-track,");
  }

  @Test
  void windowAndRepeat_withoutWindows_areRefusedBeforeAnythingRuns(@TempDir Path out) {
    PulseCommandAccess.Result result = PulseCommandAccess.run("bench", "trace", "--trace",
        TRACES.resolve("loader_example").toString(), "--window", "2", "--out", out.toString());

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err()).contains("--window and --repeat").contains("need --windows N");
  }
}
