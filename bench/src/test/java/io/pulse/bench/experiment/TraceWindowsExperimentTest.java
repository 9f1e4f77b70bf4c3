package io.pulse.bench.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.bench.schedule.ReplayOptions;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TraceWindowsExperimentTest {

  @Test
  void policies_takeTurnsGoingFirst() {
    List<String> policies = List.of("dual-track", "kpa", "emergency-only");

    assertThat(TraceWindowsExperiment.rotated(policies, 0)).containsExactly("dual-track", "kpa", "emergency-only");
    assertThat(TraceWindowsExperiment.rotated(policies, 1)).containsExactly("kpa", "emergency-only", "dual-track");
    assertThat(TraceWindowsExperiment.rotated(policies, 2)).containsExactly("emergency-only", "dual-track", "kpa");
    assertThat(TraceWindowsExperiment.rotated(policies, 3)).isEqualTo(TraceWindowsExperiment.rotated(policies, 0));
  }

  @Test
  void overWindows_givesMedianSpreadTheLosingWindowsAndThoseAboveKpasCost() {
    JsonArray windows = new JsonArray()
        .add(window(40.0, 0.9)).add(window(-5.0, 1.1)).add(window(30.0, 1.0)).add(window(50.0, 0.8))
        .add(window(35.0, 0.95));

    JsonObject dual = TraceWindowsExperiment.overWindows(windows, List.of("dual-track", "kpa"))
        .getJsonObject("dual-track");

    JsonObject reduction = dual.getJsonObject("slowdownReductionPercent");
    assertThat(reduction.getDouble("median")).isEqualTo(35.0);
    assertThat(reduction.getDouble("min")).isEqualTo(-5.0);
    assertThat(reduction.getDouble("max")).isEqualTo(50.0);
    assertThat(reduction.getDouble("p25")).isEqualTo(30.0);
    assertThat(reduction.getDouble("p75")).isEqualTo(40.0);
    assertThat(dual.getJsonObject("costRatio").getDouble("median")).isEqualTo(0.95);
    assertThat(dual.getInteger("windowsWorseThanKpa")).isEqualTo(1);
    assertThat(dual.getInteger("windowsAboveKpaCost")).as("1.1x is above, 1.0x is not").isEqualTo(1);
  }

  @Test
  void problemsOverWindows_sumFailuresAndLoggedProblems_unknownWhenAWindowCouldNotSeeTheLog() {
    JsonArray windows = new JsonArray()
        .add(policies(new JsonObject().put("failures", 1).put("loggedErrors", 1).put("loggedWarnings", 3),
            new JsonObject().put("failures", 0)))
        .add(policies(new JsonObject().put("failures", 0).put("loggedErrors", 2).put("loggedWarnings", 0),
            new JsonObject().put("failures", 2).put("loggedErrors", 0).put("loggedWarnings", 1)));

    JsonObject problems = TraceWindowsExperiment.problemsOverWindows(windows, List.of("dual-track", "kpa"));

    assertThat(problems.getJsonObject("dual-track")).isEqualTo(new JsonObject().put("failures", 1L)
        .put("loggedErrors", 3L).put("loggedWarnings", 3L));
    assertThat(problems.getJsonObject("kpa")).as("w1's log was not seen").isEqualTo(new JsonObject()
        .put("failures", 2L));
  }

  @Test
  void problemsOverWindows_keepTheMostCoresOthersUsedInARun() {
    JsonArray windows = new JsonArray()
        .add(policies(new JsonObject().put("failures", 0).put("machine", new JsonObject().put("otherCores", 0.12)),
            new JsonObject().put("failures", 0).put("machine", new JsonObject().put("otherCores", 0.9))))
        .add(policies(new JsonObject().put("failures", 0).put("machine", new JsonObject().put("otherCores", 0.31)),
            new JsonObject().put("failures", 0)));

    JsonObject problems = TraceWindowsExperiment.problemsOverWindows(windows, List.of("dual-track", "kpa"));

    assertThat(problems.getJsonObject("dual-track").getDouble("maxOtherCores")).isEqualTo(0.31);
    assertThat(problems.getJsonObject("kpa").getDouble("maxOtherCores")).isEqualTo(0.9);
  }

  private static JsonObject policies(JsonObject dual, JsonObject kpa) {
    return new JsonObject().put("policies", new JsonObject().put("dual-track", dual).put("kpa", kpa));
  }

  @Test
  void reductionAndCostRatio_areAgainstTheBaseline() {
    JsonObject kpa = new JsonObject().put("geomeanP99Slowdown", 4.0).put("normalizedCost", 2.0);
    JsonObject dual = new JsonObject().put("geomeanP99Slowdown", 2.6).put("normalizedCost", 1.9);

    assertThat(TraceExperiment.reductionPercent(dual, kpa)).isEqualTo(35.0);
    assertThat(TraceExperiment.costRatio(dual, kpa)).isEqualTo(0.95);
    assertThat(TraceExperiment.reductionPercent(new JsonObject(), kpa)).isNull();
  }

  private static JsonObject window(double reduction, double ratio) {
    return new JsonObject().put("vsKpa", new JsonObject().put("dual-track",
        new JsonObject().put("slowdownReductionPercent", reduction).put("costRatio", ratio)));
  }

  @Test
  void plan_runsEveryDrawnWindowOnce_byDefault() {
    List<ReplayOptions> drawn = List.of(replay(100), replay(200), replay(300));

    assertThat(new TraceWindowsExperiment.Plan(3, 10, 100, 7).runs(drawn)).containsExactly(
        new TraceWindowsExperiment.Run("w1", drawn.get(0)), new TraceWindowsExperiment.Run("w2", drawn.get(1)),
        new TraceWindowsExperiment.Run("w3", drawn.get(2)));
  }

  @Test
  void plan_runsOneDrawnWindowAgain_underItsOwnLabel_asOftenAsAsked() {
    List<ReplayOptions> drawn = List.of(replay(100), replay(200), replay(300));

    assertThat(new TraceWindowsExperiment.Plan(3, 10, 100, 7, 2, 3).runs(drawn)).containsExactly(
        new TraceWindowsExperiment.Run("w2", drawn.get(1)), new TraceWindowsExperiment.Run("w2-2", drawn.get(1)),
        new TraceWindowsExperiment.Run("w2-3", drawn.get(1)));
  }

  @ParameterizedTest
  @CsvSource({"3, 4, 1, --window", "3, -1, 1, --window", "3, 0, 0, --repeat", "0, 0, 1, --windows"})
  void plan_refusesAWindowNotDrawnAndNoRuns_namingTheOption(int windows, int only, int repeats, String option) {
    assertThatThrownBy(() -> new TraceWindowsExperiment.Plan(windows, 10, 100, 7, only, repeats))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(option + " must be");
  }

  private static ReplayOptions replay(int fromMinute) {
    return new ReplayOptions(20, true, fromMinute, fromMinute + 10, 10, 0.1, 10, 1_000, 1, 16, 512, 7, 0);
  }
}
