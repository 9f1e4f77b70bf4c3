package io.pulse.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.bench.experiment.TraceExperiment;
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
    assertThat(out.resolve("summary.json")).exists();
    assertThat(Files.readAllLines(out.resolve("invocations.csv"))).hasSize(scheduled + 1);
    assertThat(out.resolve("report.html")).exists();
    assertThat(out.resolve("latency-cdf.png")).exists();
    assertThat(progress.toString()).contains("dual-track: sent " + scheduled + "/" + scheduled);
  }
}
