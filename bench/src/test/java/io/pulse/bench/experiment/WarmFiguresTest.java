package io.pulse.bench.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.bench.experiment.WarmFigures.Leg;
import io.pulse.bench.experiment.WarmFigures.Round;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class WarmFiguresTest {

  @Test
  void legs_giveThroughputLatencyAndCpuPerRequest_andPulseAgainstHaproxy() {
    JsonObject legs = WarmFigures.legs(List.of(
        leg("direct", 1_000, new Round(20_000, 0, 1.0, -1), new Round(22_000, 0, 1.0, -1)),
        leg("haproxy", 1_500, new Round(10_000, 0, 1.0, 400_000, -1, -1, -1, 100_000),
            new Round(10_000, 0, 1.0, 300_000, -1, -1, -1, 100_000)),
        leg("pulse", 2_000, new Round(9_000, 1, 1.0, 450_000, 180_000, -1, -1, 300_000),
            new Round(9_000, 0, 1.0, 450_000, 180_000, -1, -1, 300_000))));

    JsonObject haproxy = legs.getJsonObject("haproxy");
    assertThat(haproxy.getDouble("rps")).isEqualTo(10_000.0);
    assertThat(haproxy.getDouble("cpuUsPerRequest")).isEqualTo(35.0);
    assertThat(haproxy.getJsonArray("cpuUsPerRequestPerRound").getList()).containsExactly(40.0, 30.0);
    assertThat(haproxy.getDouble("addedP50Us")).isEqualTo(0.5);
    JsonObject pulse = legs.getJsonObject("pulse");
    assertThat(pulse.getLong("failed")).isEqualTo(1);
    assertThat(pulse.getDouble("cpuUsPerRequest")).isEqualTo(49.997); // 900 ms over 18,001 requests, the failed one included
    assertThat(pulse.getDouble("eventLoopCpuUsPerRequest")).isEqualTo(19.999);
    assertThat(haproxy.getDouble("userCpuUsPerRequest")).isEqualTo(10.0);
    assertThat(haproxy.getDouble("systemCpuUsPerRequest")).isEqualTo(25.0);
    assertThat(pulse.getDouble("userCpuUsPerRequest")).isEqualTo(33.331); // 600 ms over 18,001 requests
    assertThat(pulse.getDouble("systemCpuUsPerRequest")).isEqualTo(16.666);
    assertThat(haproxy.containsKey("eventLoopCpuUsPerRequest")).isFalse();
    assertThat(legs.getJsonObject("direct").containsKey("cpuUsPerRequest")).isFalse();

    JsonObject versus = WarmFigures.vsHaproxy(legs);
    assertThat(versus.getDouble("rpsRatio")).isEqualTo(0.9);
    assertThat(versus.getBoolean("rpsAtLeastHaproxy")).isFalse();
    assertThat(versus.getDouble("cpuRatio")).isEqualTo(1.428);
    assertThat(versus.getBoolean("cpuAtMostHaproxy")).isFalse();
    assertThat(versus.getDouble("userCpuRatio")).isEqualTo(3.333);
    assertThat(versus.getDouble("systemCpuRatio")).isEqualTo(0.667);
    assertThat(versus.getJsonObject("addedP50Us").getDouble("pulse")).isEqualTo(1.0);
    assertThat(versus.getBoolean("addedP50AtMostHaproxy")).isFalse();
  }

  @Test
  void withoutHaproxy_thereIsNoComparison() {
    JsonObject legs = WarmFigures.legs(List.of(leg("direct", 1_000, new Round(1, 0, 1.0, -1)),
        leg("pulse", 2_000, new Round(1, 0, 1.0, -1))));

    assertThat(WarmFigures.vsHaproxy(legs)).isNull();
    assertThat(legs.getJsonObject("pulse").containsKey("userCpuUsPerRequest")).isFalse();
    assertThat(legs.getJsonObject("pulse").getDouble("addedP50Us")).isEqualTo(1.0);
  }

  /** A leg whose every latency is {@code nanos} (below 2,048 ns, where the histogram is exact). */
  private static Leg leg(String name, long nanos, Round... rounds) {
    Histogram latencies = new Histogram(60_000_000_000L, 3);
    latencies.recordValueWithCount(nanos, 1_000);
    return new Leg(name, List.of(rounds), latencies);
  }
}
