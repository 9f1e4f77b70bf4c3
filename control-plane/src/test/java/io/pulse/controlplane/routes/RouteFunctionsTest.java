package io.pulse.controlplane.routes;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.common.net.HostPort;
import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.registry.FunctionSpec;
import io.pulse.controlplane.registry.ScalingPolicy;
import io.pulse.controlplane.status.FunctionStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteFunctionsTest {

  private final RouteFunctions routeFunctions = new RouteFunctions();
  private final Map<String, List<RouteInstance>> ready = new HashMap<>();

  private static FunctionRecord record(String name) {
    return new FunctionRecord(new FunctionSpec(name, null, List.of("run"), 0, Map.of(),
        new FunctionSpec.Resources(100, 64), new FunctionSpec.Scaling(0, 0, 1, 60), 30), 1, Instant.EPOCH,
        Instant.EPOCH);
  }

  private Map<String, Route> publish(Map<String, FunctionRecord> records) {
    return routeFunctions.of(records, name -> ready.getOrDefault(name, List.of()), ScalingPolicy.KPA, Map.of());
  }

  @Test
  void nothingChanged_theSameMap() {
    Map<String, FunctionRecord> records = Map.of("f", record("f"), "g", record("g"));
    Map<String, Route> first = publish(records);

    assertThat(first).containsOnlyKeys("f", "g");
    assertThat(publish(records)).isSameAs(first);
  }

  @Test
  void oneFunctionChanging_replacesOnlyItsRoute() {
    Map<String, FunctionRecord> records = Map.of("f", record("f"), "g", record("g"));
    Map<String, Route> first = publish(records);
    ready.put("g", List.of(new RouteInstance("i1", new HostPort("127.0.0.1", 9000), "w1")));

    Map<String, Route> second = publish(records);

    assertThat(second).isNotSameAs(first);
    assertThat(second.get("f")).isSameAs(first.get("f"));
    assertThat(second.get("g").instances()).extracting(RouteInstance::instanceId).containsExactly("i1");
  }

  @Test
  void aFunctionGone_leavesTheTable_andComesBackWithAFreshRoute() {
    FunctionRecord f = record("f");
    Map<String, Route> first = publish(Map.of("f", f, "g", record("g")));

    assertThat(publish(Map.of("g", record("g")))).containsOnlyKeys("g");
    Map<String, Route> back = publish(Map.of("f", f, "g", record("g")));
    assertThat(back).containsOnlyKeys("f", "g");
    assertThat(back.get("f")).isEqualTo(first.get("f")).isNotSameAs(first.get("f"));
  }

  @Test
  void aStatusChange_rebuildsTheRoute() {
    Map<String, FunctionRecord> records = Map.of("f", record("f"));
    Route calm = publish(records).get("f");
    FunctionStatus noRoom = new FunctionStatus(List.of(), null, null, List.of(),
        new FunctionStatus.PlacementFailure("no worker has room", 1, 2), List.of());

    Route full = routeFunctions.of(records, name -> List.of(), ScalingPolicy.KPA, Map.of("f", noRoom)).get("f");

    assertThat(calm.noCapacity()).isFalse();
    assertThat(full.noCapacity()).isTrue();
  }
}
