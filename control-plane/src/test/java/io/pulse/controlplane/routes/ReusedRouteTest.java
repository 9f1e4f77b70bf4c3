package io.pulse.controlplane.routes;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.common.net.HostPort;
import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.registry.FunctionSpec;
import io.pulse.controlplane.registry.ScalingPolicy;
import io.pulse.controlplane.status.FunctionStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReusedRouteTest {

  private static final FunctionRecord RECORD = new FunctionRecord(new FunctionSpec("f", null, List.of("run"), 0,
      Map.of(), new FunctionSpec.Resources(100, 64), new FunctionSpec.Scaling(0, 0, 1, 60), 30), 1, Instant.EPOCH,
      Instant.EPOCH);
  private static final List<RouteInstance> READY =
      List.of(new RouteInstance("i2", new HostPort("127.0.0.1", 9000), "w1"),
          new RouteInstance("i1", new HostPort("127.0.0.1", 9001), "w1"));

  private final ReusedRoute reused = new ReusedRoute();

  @Test
  void sameInputs_sameRouteObject() {
    Route first = reused.of(RECORD, READY, ScalingPolicy.KPA, FunctionStatus.NONE);
    assertThat(first.instances()).extracting(RouteInstance::instanceId).containsExactly("i1", "i2");
    assertThat(reused.of(RECORD, READY, ScalingPolicy.KPA, FunctionStatus.NONE)).isSameAs(first);
  }

  @Test
  void aNewReadyListRecordOrStatus_buildsAgain() {
    Route first = reused.of(RECORD, READY, ScalingPolicy.KPA, FunctionStatus.NONE);
    Route fewer = reused.of(RECORD, List.of(READY.get(0)), ScalingPolicy.KPA, FunctionStatus.NONE);
    assertThat(fewer).isNotSameAs(first);
    assertThat(fewer.instances()).extracting(RouteInstance::instanceId).containsExactly("i2");

    FunctionRecord updated = new FunctionRecord(RECORD.spec(), 2, Instant.EPOCH, Instant.EPOCH);
    assertThat(reused.of(updated, List.of(READY.get(0)), ScalingPolicy.KPA, FunctionStatus.NONE).function())
        .isSameAs(updated);

    FunctionStatus noRoom = new FunctionStatus(List.of(), null, null, List.of(),
        new FunctionStatus.PlacementFailure("no worker has room", 1, 2), List.of());
    assertThat(reused.of(updated, List.of(READY.get(0)), ScalingPolicy.KPA, noRoom).noCapacity()).isTrue();
  }

  @Test
  void theClusterDefaultPolicyChanging_buildsAgain() {
    Route kpa = reused.of(RECORD, READY, ScalingPolicy.KPA, FunctionStatus.NONE);
    Route dual = reused.of(RECORD, READY, ScalingPolicy.DUAL_TRACK, FunctionStatus.NONE);
    assertThat(dual.policy()).isEqualTo(ScalingPolicy.DUAL_TRACK);
    assertThat(dual).isNotSameAs(kpa);
  }
}
