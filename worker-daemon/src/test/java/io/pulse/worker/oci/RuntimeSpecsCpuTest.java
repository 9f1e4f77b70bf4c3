package io.pulse.worker.oci;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A sandbox's cpuMillis is a weight (cpu.shares), not a CFS quota: overcommitted CPU stays usable when idle. */
class RuntimeSpecsCpuTest {

  private static JsonObject resources(int cpuMillis) {
    SpecInputs in = new SpecInputs("h", List.of("/bin/true"), List.of(), "", "", false, false, cpuMillis, 256, 1024,
        "pulse:i-1", Map.of());
    return RuntimeSpecs.build(in).getJsonObject("linux").getJsonObject("resources");
  }

  @Test
  void cpuMillis_becomesSharesProportionalToIt_withoutAQuota() {
    JsonObject cpu = resources(250).getJsonObject("cpu");

    assertThat(cpu.getLong("shares")).isEqualTo(256);
    assertThat(cpu.containsKey("quota")).as(cpu.encode()).isFalse();
    assertThat(cpu.containsKey("period")).as(cpu.encode()).isFalse();
    assertThat(resources(1000).getJsonObject("cpu").getLong("shares")).isEqualTo(1024);
    assertThat(resources(2500).getJsonObject("cpu").getLong("shares")).isEqualTo(2560);
  }

  @Test
  void aTinyRequest_keepsTheKernelsMinimumWeight_andNoneSetsNoCpuAtAll() {
    assertThat(resources(1).getJsonObject("cpu").getLong("shares")).isEqualTo(2);
    assertThat(resources(0).containsKey("cpu")).isFalse();
    assertThat(resources(0).getJsonObject("memory").getLong("limit")).isEqualTo(256L * 1024 * 1024);
  }
}
