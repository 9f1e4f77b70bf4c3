package io.pulse.controlplane.routes;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.api.v1.RouteUpdate;
import io.pulse.api.v1.WorkerLoad;
import io.pulse.controlplane.grpc.Protos;
import io.pulse.controlplane.placement.ResourceRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteDeltaTest {

  private static RouteTable loads(Map<String, ResourceRequest> loads) {
    return new RouteTable(Map.of(), List.of(), loads);
  }

  @Test
  void between_sendsOnlyTheWorkersWhoseLoadChanged_andZeroForOneThatHoldsNothingNow() {
    RouteTable before = loads(Map.of("w1", new ResourceRequest(100, 64), "w2", new ResourceRequest(10, 8),
        "w3", new ResourceRequest(5, 5)));
    RouteTable after = loads(Map.of("w1", new ResourceRequest(100, 64), "w2", new ResourceRequest(20, 16),
        "w4", new ResourceRequest(1, 1)));
    RouteDelta delta = RouteDelta.between(before, after);
    assertThat(delta.workerLoadsChanged()).isTrue();
    assertThat(delta.workerLoadsPartial()).isTrue();
    assertThat(delta.workerLoads()).containsOnly(Map.entry("w2", new ResourceRequest(20, 16)),
        Map.entry("w3", new ResourceRequest(0, 0)), Map.entry("w4", new ResourceRequest(1, 1)));
  }

  @Test
  void between_equalLoadsSendNone() {
    RouteTable table = loads(Map.of("w1", new ResourceRequest(100, 64)));
    RouteDelta delta = RouteDelta.between(table, loads(Map.of("w1", new ResourceRequest(100, 64))));
    assertThat(delta.workerLoadsChanged()).isFalse();
    assertThat(delta.isEmpty()).isTrue();
  }

  @Test
  void onTheWire_aDeltaSaysPartial_aSnapshotSendsEveryWorkerWhole() {
    RouteTable before = loads(Map.of("w1", new ResourceRequest(100, 64)));
    RouteTable after = loads(Map.of("w1", new ResourceRequest(100, 64), "w2", new ResourceRequest(20, 16)));
    RouteUpdate delta = Protos.routeUpdate(RouteDelta.between(before, after), 2, 1000);
    assertThat(delta.getWorkerLoadsPartial()).isTrue();
    assertThat(delta.getWorkerLoadsList()).extracting(WorkerLoad::getWorkerId).containsExactly("w2");
    RouteUpdate full = Protos.routeUpdate(RouteDelta.full(after), 2, 1000);
    assertThat(full.getWorkerLoadsPartial()).isFalse();
    assertThat(full.getWorkerLoadsList()).extracting(WorkerLoad::getWorkerId).containsExactlyInAnyOrder("w1", "w2");
  }
}
