package io.pulse.k8sbridge.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.api.v1.Endpoint;
import io.pulse.api.v1.FunctionRoute;
import io.pulse.api.v1.InstanceKind;
import io.pulse.api.v1.InstanceRoute;
import io.pulse.api.v1.RouteUpdate;
import io.pulse.api.v1.WorkerDescriptor;
import io.pulse.k8sbridge.view.ClusterView;
import io.pulse.k8sbridge.view.InstanceView;
import org.junit.jupiter.api.Test;

class RouteMessagesTest {

  @Test
  void apply_snapshotThenDelta_keepsRegularInstancesOnly() {
    RouteUpdate snapshot = RouteUpdate.newBuilder().setFullSnapshot(true).setVersion(4)
        .addWorkers(WorkerDescriptor.newBuilder().setWorkerId("w1").setAddress("10.0.0.1:9093"))
        .addFunctions(FunctionRoute.newBuilder().setName("alpha")
            .addInstances(instance("a-1", InstanceKind.REGULAR))
            .addInstances(instance("a-e", InstanceKind.EMERGENCY))
            .addInstances(instance("a-u", InstanceKind.INSTANCE_KIND_UNSPECIFIED)))
        .addFunctions(FunctionRoute.newBuilder().setName("beta"))
        .build();
    ClusterView view = RouteMessages.apply(ClusterView.EMPTY, snapshot);
    assertThat(view.synced()).isTrue();
    assertThat(view.functions().get("alpha").instances()).extracting(InstanceView::instanceId)
        .containsExactly("a-1");

    RouteUpdate delta = RouteUpdate.newBuilder().setVersion(5).addRemovedFunctions("beta").build();
    ClusterView next = RouteMessages.apply(view, delta);
    assertThat(next.functions()).containsOnlyKeys("alpha");
    assertThat(next.workers()).containsOnlyKeys("w1"); // workers unchanged unless workers_changed
    assertThat(next.version()).isEqualTo(5);
  }

  @Test
  void apply_beforeAnySnapshot_staysUnsynced() {
    ClusterView view = RouteMessages.apply(ClusterView.EMPTY, RouteUpdate.newBuilder().setVersion(1).build());
    assertThat(view.synced()).isFalse();
  }

  private static InstanceRoute instance(String id, InstanceKind kind) {
    return InstanceRoute.newBuilder().setInstanceId(id).setWorkerId("w1").setKind(kind)
        .setEndpoint(Endpoint.newBuilder().setHost("10.0.0.1").setPort(20001)).build();
  }
}
