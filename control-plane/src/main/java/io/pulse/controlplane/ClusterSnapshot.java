package io.pulse.controlplane;

import io.pulse.controlplane.api.ClusterView.ClusterInfo;
import io.pulse.controlplane.api.ClusterView.InstanceView;
import io.pulse.controlplane.api.ClusterView.WorkerView;
import io.pulse.controlplane.instances.Instance;
import io.pulse.controlplane.instances.InstanceState;
import io.pulse.controlplane.membership.WorkerState;
import io.pulse.controlplane.status.FunctionStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The soft state as readers see it, built in one go on the context and published by reference. */
record ClusterSnapshot(Map<String, List<InstanceView>> instances, List<WorkerView> workers, ClusterInfo cluster,
    Map<String, FunctionStatus> status) {

  static ClusterSnapshot empty(String replicaId, long epoch) {
    return new ClusterSnapshot(Map.of(), List.of(), info(replicaId, epoch), Map.of());
  }

  static ClusterSnapshot of(List<Instance> instances, List<WorkerState> workers, String replicaId, long epoch) {
    return of(instances, workers, replicaId, epoch, Map.of());
  }

  static ClusterSnapshot of(List<Instance> instances, List<WorkerState> workers, String replicaId, long epoch,
      Map<String, FunctionStatus> status) {
    Map<String, List<InstanceView>> byFunction = new HashMap<>();
    Map<String, int[]> allocated = new HashMap<>(); // worker -> {cpu, memory, count}
    for (Instance instance : instances) {
      byFunction.computeIfAbsent(instance.function(), k -> new ArrayList<>()).add(view(instance));
      int[] sums = allocated.computeIfAbsent(instance.workerId(), k -> new int[3]);
      sums[0] += instance.resources().cpuMillis();
      sums[1] += instance.resources().memoryMiB();
      sums[2]++;
    }
    Map<String, List<InstanceView>> frozen = new HashMap<>();
    byFunction.forEach((name, views) -> frozen.put(name,
        views.stream().sorted(Comparator.comparing(InstanceView::id)).toList()));
    List<WorkerView> workerViews = workers.stream().map(state -> {
      int[] sums = allocated.getOrDefault(state.id(), new int[3]);
      return new WorkerView(state.id(), state.info().address(), state.info().hostname(), state.info().runtime(),
          state.info().cpuMillis(), state.info().memoryMiB(), sums[0], sums[1], sums[2],
          !state.alive() ? "dead" : state.draining() ? "draining" : "alive",
          Instant.ofEpochMilli(state.lastHeartbeatMillis()), state.info().poolMembers(), state.info().poolMemoryMiB());
    }).toList();
    return new ClusterSnapshot(Map.copyOf(frozen), workerViews, info(replicaId, epoch), status);
  }

  private static InstanceView view(Instance instance) {
    boolean ready = instance.state() != InstanceState.PENDING && instance.readyAtMillis() > 0;
    return new InstanceView(instance.id(), instance.function(), instance.revision(), "regular",
        instance.state().label(), instance.workerId(),
        instance.endpoint() == null ? null : instance.endpoint().toString(),
        Instant.ofEpochMilli(instance.createdAtMillis()),
        ready ? Instant.ofEpochMilli(instance.readyAtMillis()) : null,
        // An adopted instance was not created by us: its creation time is not ours to report.
        ready && !instance.adopted() ? (double) (instance.readyAtMillis() - instance.createdAtMillis()) : null);
  }

  private static ClusterInfo info(String replicaId, long epoch) {
    return new ClusterInfo(replicaId, List.of(replicaId), replicaId, epoch, null);
  }
}
