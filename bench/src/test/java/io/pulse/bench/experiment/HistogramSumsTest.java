package io.pulse.bench.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistogramSumsTest {

  private static final String SCRAPE = """
      # HELP pulse_a_seconds A
      # TYPE pulse_a_seconds histogram
      pulse_a_seconds_bucket{le="0.005"} 1
      pulse_a_seconds_count 2
      pulse_a_seconds_sum 0.030
      pulse_b_seconds_sum{function="f"} 0.010
      pulse_b_seconds_sum{function="g"} 0.005
      pulse_b_seconds_summary_sum 9
      """;

  @Test
  void of_addsEveryLabelSetsSum_andAnAbsentHistogramIsZero() {
    Map<String, Double> sums = HistogramSums.of(SCRAPE, List.of("pulse_a_seconds", "pulse_b_seconds", "pulse_c"));

    assertThat(sums.get("pulse_a_seconds")).isCloseTo(0.030, within(1e-12));
    assertThat(sums.get("pulse_b_seconds")).as("not pulse_b_seconds_summary").isCloseTo(0.015, within(1e-12));
    assertThat(sums.get("pulse_c")).isZero();
  }

  @Test
  void deltaMs_isWhatTheSecondScrapeAdded_inMilliseconds() {
    assertThat(HistogramSums.deltaMs(Map.of("h", 0.030), Map.of("h", 0.0425)).get("h"))
        .isCloseTo(12.5, within(1e-9));
  }
}
