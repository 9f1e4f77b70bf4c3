package io.pulse.controlplane.routes;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.api.v1.RouteUpdate;
import io.pulse.controlplane.grpc.Protos;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteDeltaTest {

  private static RouteTable loads(Map<String, WorkerLoad> loads) {
    return new RouteTable(Map.of(), List.of(), loads);
  }

  private static WorkerLoad load(int cpuMillis, int memoryMiB) {
    return new WorkerLoad(cpuMillis, memoryMiB, 0);
  }

  @Test
  void between_sendsOnlyTheWorkersWhoseLoadChanged_andZeroForOneThatHoldsNothingNow() {
    RouteTable before = loads(Map.of("w1", load(100, 64), "w2", load(10, 8), "w3", load(5, 5)));
    RouteTable after = loads(Map.of("w1", load(100, 64), "w2", load(20, 16), "w4", load(1, 1)));
    RouteDelta delta = RouteDelta.between(before, after);
    assertThat(delta.workerLoadsChanged()).isTrue();
    assertThat(delta.workerLoadsPartial()).isTrue();
    assertThat(delta.workerLoads()).containsOnly(Map.entry("w2", load(20, 16)),
        Map.entry("w3", WorkerLoad.NOTHING), Map.entry("w4", load(1, 1)));
  }

  @Test
  void between_equalLoadsSendNone() {
    RouteTable table = loads(Map.of("w1", load(100, 64)));
    RouteDelta delta = RouteDelta.between(table, loads(Map.of("w1", load(100, 64))));
    assertThat(delta.workerLoadsChanged()).isFalse();
    assertThat(delta.isEmpty()).isTrue();
  }

  @Test
  void between_aCreationThatBecameReady_isSentThoughTheResourcesAreTheSame() {
    RouteTable creating = loads(Map.of("w1", new WorkerLoad(100, 64, 1)));
    RouteDelta delta = RouteDelta.between(creating, loads(Map.of("w1", new WorkerLoad(100, 64, 0))));
    assertThat(delta.workerLoads()).containsOnly(Map.entry("w1", new WorkerLoad(100, 64, 0)));
  }

  @Test
  void onTheWire_aDeltaSaysPartial_aSnapshotSendsEveryWorkerWhole() {
    RouteTable before = loads(Map.of("w1", load(100, 64)));
    RouteTable after = loads(Map.of("w1", load(100, 64), "w2", new WorkerLoad(20, 16, 2)));
    RouteUpdate delta = Protos.routeUpdate(RouteDelta.between(before, after), 2, 1000);
    assertThat(delta.getWorkerLoadsPartial()).isTrue();
    assertThat(delta.getWorkerLoadsList()).extracting(io.pulse.api.v1.WorkerLoad::getWorkerId).containsExactly("w2");
    assertThat(delta.getWorkerLoads(0).getCreating()).isEqualTo(2);
    RouteUpdate full = Protos.routeUpdate(RouteDelta.full(after), 2, 1000);
    assertThat(full.getWorkerLoadsPartial()).isFalse();
    assertThat(full.getWorkerLoadsList()).extracting(io.pulse.api.v1.WorkerLoad::getWorkerId)
        .containsExactlyInAnyOrder("w1", "w2");
  }
}
