package io.pulse.dataplane.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.api.v1.Endpoint;
import io.pulse.api.v1.FunctionRoute;
import io.pulse.api.v1.InstanceRoute;
import io.pulse.api.v1.RouteUpdate;
import io.pulse.api.v1.WorkerDescriptor;
import org.junit.jupiter.api.Test;

class RouteMessagesTest {

  @Test
  void delta_convertsRoutesAndWorkers() {
    RouteUpdate update = RouteUpdate.newBuilder().setFullSnapshot(true)
        .addFunctions(FunctionRoute.newBuilder().setName("hello").setRevision(3).setTargetConcurrency(4)
            .setTimeoutSeconds(9).addInstances(InstanceRoute.newBuilder().setInstanceId("i1").setWorkerId("w1")
                .setEndpoint(Endpoint.newBuilder().setHost("10.0.0.1").setPort(8000))))
        .addWorkers(WorkerDescriptor.newBuilder().setWorkerId("w1").setAddress("10.0.0.1:9093"))
        .setWorkersChanged(true).build();
    RouteDelta delta = RouteMessages.delta(update);
    assertThat(delta.fullSnapshot()).isTrue();
    assertThat(delta.upserts()).containsExactly(
        new Route("hello", 3, 4, 9, java.util.List.of(new Instance("i1", "10.0.0.1", 8000, "w1"))));
    assertThat(delta.workers()).containsExactly(new WorkerRef("w1", "10.0.0.1:9093"));
  }

  @Test
  void route_unsetConcurrencyAndTimeoutGetSafeDefaults() {
    Route route = RouteMessages.route(FunctionRoute.newBuilder().setName("f").build());
    assertThat(route.slotsPerInstance()).isEqualTo(1);
    assertThat(route.timeoutSeconds()).isEqualTo(RouteMessages.DEFAULT_TIMEOUT_SECONDS);
  }

  @Test
  void route_carriesTheControlPlanesNoCapacity() {
    assertThat(RouteMessages.route(FunctionRoute.newBuilder().setName("f").setNoCapacity(true).build()).noCapacity())
        .isTrue();
    assertThat(RouteMessages.route(FunctionRoute.newBuilder().setName("f").build()).noCapacity()).isFalse();
  }

  @Test
  void route_skipsInstancesWithoutEndpoint() {
    Route route = RouteMessages.route(FunctionRoute.newBuilder().setName("f").setTargetConcurrency(1)
        .addInstances(InstanceRoute.newBuilder().setInstanceId("bad"))
        .addInstances(InstanceRoute.newBuilder().setInstanceId("good")
            .setEndpoint(Endpoint.newBuilder().setHost("h").setPort(1)))
        .build());
    assertThat(route.instances()).extracting(Instance::id).containsExactly("good");
  }

  @Test
  void delta_workersUnchangedIsNull() {
    assertThat(RouteMessages.delta(RouteUpdate.newBuilder().addRemovedFunctions("x").build()).workers()).isNull();
  }

  @Test
  void template_keepsThePrewarmOfTheRoutesSpec() {
    assertThat(RouteMessages.template(io.pulse.api.v1.SandboxSpec.newBuilder().setFunction("web").setRevision(3)
        .setImage("example.org/web:v1").setPrewarm(2).build()).prewarm()).isEqualTo(2);
  }

  @Test
  void route_carriesTheWorkersWithReadyPoolMembers() {
    assertThat(RouteMessages.route(FunctionRoute.newBuilder().setName("f").putReadyPoolMembers("w1", 2).build())
        .readyPoolMembers()).containsExactly(java.util.Map.entry("w1", 2));
    assertThat(RouteMessages.route(FunctionRoute.newBuilder().setName("f").build()).readyPoolMembers()).isEmpty();
  }

  @Test
  void delta_readsWhetherTheLoadsArePartial() {
    RouteUpdate partial = RouteUpdate.newBuilder().setWorkerLoadsPartial(true).addWorkerLoads(
        io.pulse.api.v1.WorkerLoad.newBuilder().setWorkerId("w1").setCreating(2)
            .setAllocated(io.pulse.api.v1.Resources.newBuilder().setCpuMillis(100).setMemoryMib(64))).build();
    assertThat(RouteMessages.delta(partial).workerLoadsPartial()).isTrue();
    assertThat(RouteMessages.delta(partial).workerLoads()).containsExactly(new WorkerLoad("w1", 100, 64, 2));
    // A snapshot is whole whatever the flag says.
    assertThat(RouteMessages.delta(partial.toBuilder().setFullSnapshot(true).build()).workerLoadsPartial()).isFalse();
  }
}
