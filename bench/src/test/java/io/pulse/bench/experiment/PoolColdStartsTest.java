package io.pulse.bench.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.worker.sandbox.containerd.api.Container;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolColdStartsTest {

  @Test
  void samplesJson_keepsEachSamplesStagesTogether_leavingOutThoseNotSeen() {
    PoolColdStarts.Hits hits = new PoolColdStarts.Hits();
    hits.add(30.04, java.util.Map.of("dataPlaneCreate", 20.0, "gatewayWait", 0.0));
    hits.add(41.0, java.util.Map.of("dataPlaneCreate", 33.26, "gatewayWait", 0.0));

    assertThat(hits.samplesJson().encode()).isEqualTo(
        "[{\"totalMs\":30.0,\"dataPlaneCreate\":20.0},{\"totalMs\":41.0,\"dataPlaneCreate\":33.3}]");
  }

  @Test
  void noEmergencyInstance_onlyWhenTheDataPlaneSaysZero() {
    String help = "# TYPE pulse_dataplane_emergency_instances gauge\n";
    assertThat(PoolColdStarts.noEmergencyInstance(help + "pulse_dataplane_emergency_instances 0.0\n")).isTrue();
    assertThat(PoolColdStarts.noEmergencyInstance(help + "pulse_dataplane_emergency_instances 1.0\n")).isFalse();
    assertThat(PoolColdStarts.noEmergencyInstance("pulse_dataplane_emergency_instances_other 0.0\n"
        + "pulse_dataplane_emergency_instances 2.0\n")).isFalse();
    assertThat(PoolColdStarts.noEmergencyInstance("pulse_dataplane_instances{function=\"f\"} 0.0\n"))
        .as("no gauge: not known to be idle").isFalse();
  }

  @Test
  void onlyPoolMembers_falseWhileAnInstancesContainerIsStillThere() {
    Container member = Container.newBuilder().setId("pool-f-r1-a-1").putLabels("io.pulse.pool-member", "true").build();
    Container claimed = Container.newBuilder().setId("pool-f-r1-a-2").putLabels("io.pulse.instance", "f-1").build();

    assertThat(PoolColdStarts.onlyPoolMembers(List.of())).isTrue();
    assertThat(PoolColdStarts.onlyPoolMembers(List.of(member))).isTrue();
    assertThat(PoolColdStarts.onlyPoolMembers(List.of(member, claimed))).as("being torn down").isFalse();
  }
}
