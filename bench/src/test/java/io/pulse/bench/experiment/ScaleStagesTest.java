package io.pulse.bench.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.bench.driver.SimulatedWorkers;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScaleStagesTest {

  @Test
  void stages_splitEachSandboxAtItsFunctionsRestAnswer_negativeWhenTheCreationCameFirst() {
    long ms = 1_000_000L;
    Map<String, Long> deployed = Map.of("s0", 0L, "s1", 100 * ms);
    Map<String, Long> answered = Map.of("s0", 20 * ms, "s1", 130 * ms);
    List<SimulatedWorkers.Arrival> arrivals = List.of(new SimulatedWorkers.Arrival("a", "s0", 15 * ms),
        new SimulatedWorkers.Arrival("b", "s0", 25 * ms), new SimulatedWorkers.Arrival("c", "s1", 110 * ms));
    JsonObject stages = ScaleExperiment.stages(deployed, answered, arrivals);
    assertThat(stages.getJsonObject("registration").getDouble("maxMs")).isEqualTo(30.0);
    assertThat(stages.getJsonObject("registration").getDouble("p50Ms")).isEqualTo(20.0);
    assertThat(stages.getJsonObject("afterAnswer").getDouble("p50Ms")).isEqualTo(-5.0);
    assertThat(stages.getJsonObject("afterAnswer").getDouble("maxMs")).isEqualTo(5.0);
  }

  @Test
  void measured_leavesOutTheSandboxesOfRegistrationsScheduledInTheWarmUp() {
    long ms = 1_000_000L;
    Map<String, Long> deployed = Map.of("s0", 0L, "s1", 999 * ms, "s2", 1_000 * ms, "s3", 1_500 * ms);
    List<SimulatedWorkers.Arrival> arrivals = List.of(new SimulatedWorkers.Arrival("a", "s0", 300 * ms),
        new SimulatedWorkers.Arrival("b", "s1", 1_020 * ms), new SimulatedWorkers.Arrival("c", "s2", 1_010 * ms),
        new SimulatedWorkers.Arrival("d", "s3", 1_510 * ms), new SimulatedWorkers.Arrival("e", "s3", 1_530 * ms));

    assertThat(ScaleExperiment.measured(arrivals, deployed, 1_000 * ms))
        .extracting(SimulatedWorkers.Arrival::instanceId).containsExactly("c", "d", "e");
    assertThat(ScaleExperiment.measured(arrivals, deployed, 0)).hasSize(5);
  }
}
