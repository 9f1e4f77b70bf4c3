package io.pulse.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.controlplane.api.ClusterView.WorkerView;
import io.pulse.controlplane.instances.Instance;
import io.pulse.controlplane.membership.Membership;
import io.pulse.controlplane.membership.WorkerInfo;
import io.pulse.controlplane.membership.WorkerState;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerViewsTest {

  private final Membership membership = new Membership(1, 60_000);
  private final WorkerAllocations allocations = new WorkerAllocations();
  private final WorkerViews views = new WorkerViews();

  private static List<WorkerView> fresh(List<WorkerState> workers, WorkerAllocations allocated) {
    return workers.stream().map(w -> WorkerViews.view(w, allocated.of(w.id()))).toList();
  }

  @Test
  void onlyTheWorkersThatChangedAreRebuilt_andNothingChangedGivesTheSameList() {
    for (String id : List.of("a", "b", "c")) {
      membership.register(new WorkerInfo(id, "127.0.0.1:1", "h", "fake", 1000, 1024), 0);
    }
    List<WorkerView> first = views.of(membership.all(), allocations);
    assertThat(first).isEqualTo(fresh(membership.all(), allocations));
    assertThat(views.of(membership.all(), allocations)).as("nothing changed").isSameAs(first);

    membership.heartbeat("b", 500);
    allocations.add(instance("c"));
    List<WorkerView> next = views.of(membership.all(), allocations);

    assertThat(next).isEqualTo(fresh(membership.all(), allocations));
    assertThat(next.get(0)).as("a is unchanged: its view is reused").isSameAs(first.get(0));
    assertThat(next.get(1).lastHeartbeat().toEpochMilli()).isEqualTo(500);
    assertThat(next.get(2).allocatedCpuMillis()).isEqualTo(100);
  }

  private static Instance instance(String workerId) {
    return new Instance("f-1-" + workerId, "f", 1, workerId, new io.pulse.controlplane.placement.ResourceRequest(100,
        64), io.pulse.controlplane.instances.InstanceState.READY, null, 0, 0, false);
  }
}
