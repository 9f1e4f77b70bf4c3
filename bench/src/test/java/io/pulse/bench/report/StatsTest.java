package io.pulse.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class StatsTest {

  private static InvocationResult result(String function, double latencyMs, int durationMs, int status) {
    return new InvocationResult(function, 0, 0, Math.round(latencyMs * 1_000), durationMs, status, false, "", "");
  }

  @ParameterizedTest
  @CsvSource({
      // latency ms, requested ms, slowdown
      "100, 100, 1.0",
      "250, 100, 2.5",
      "30, 0, 30.0",     // asking for 0 ms counts as asking for 1 ms
      "1000, 4000, 0.25",
  })
  void slowdown_isLatencyOverRequestedDuration(double latency, int requested, double expected) {
    assertThat(result("f", latency, requested, 200).slowdown()).isCloseTo(expected, within(1e-9));
  }

  @ParameterizedTest
  @CsvSource({
      "'1,2,3,4,5,6,7,8,9,10', 0.5, 5",
      "'1,2,3,4,5,6,7,8,9,10', 0.99, 10",
      "'1,2,3,4,5,6,7,8,9,10', 0.1, 1",
      "'7', 0.99, 7",
  })
  void percentile_nearestRank(String values, double q, double expected) {
    double[] array = java.util.Arrays.stream(values.split(",")).mapToDouble(Double::parseDouble).toArray();
    assertThat(Stats.percentile(array, q)).isEqualTo(expected);
  }

  @Test
  void geomean_table() {
    assertThat(Stats.geomean(List.of(1.0, 100.0))).isCloseTo(10.0, within(1e-9));
    assertThat(Stats.geomean(List.of(2.0, 8.0))).isCloseTo(4.0, within(1e-9));
    assertThat(Stats.geomean(List.of(3.0))).isCloseTo(3.0, within(1e-9));
    assertThat(Stats.geomean(List.of())).isNaN();
  }

  @Test
  void normalizedCost_isHeldOverBusy_nullWhenNothingWasBusy() {
    assertThat(Stats.normalizedCost(300, 100)).isEqualTo(3.0);
    assertThat(Stats.normalizedCost(100, 100)).isEqualTo(1.0);
    assertThat(Stats.normalizedCost(100, 0)).isNull();
  }

  @Test
  void geomeanP99Slowdown_overFunctions_failuresLeftOut() {
    // f: slowdowns 1..100 (p99 = 99); g: all 4 (p99 = 4); a failed request of g is left out.
    List<InvocationResult> results = new java.util.ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      results.add(result("f", i * 10.0, 10, 200));
    }
    for (int i = 0; i < 10; i++) {
      results.add(result("g", 40, 10, 200));
    }
    results.add(result("g", 100_000, 10, 502));
    Map<String, double[]> slowdowns = Stats.slowdownsByFunction(results);

    assertThat(Stats.geomeanP99Slowdown(slowdowns)).isCloseTo(Math.sqrt(99 * 4), within(1e-9));
    assertThat(Stats.p50SlowdownMedian(slowdowns)).isCloseTo(4.0, within(1e-9)); // median of {50, 4} by nearest rank: the lower
  }
}
