package io.pulse.controlplane;

import io.pulse.common.collect.ShardedMap;
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
    Map<String, List<Instance>> byFunction = new HashMap<>();
    for (Instance instance : instances) {
      byFunction.computeIfAbsent(instance.function(), k -> new ArrayList<>()).add(instance);
    }
    Map<String, List<InstanceView>> views = new HashMap<>();
    byFunction.forEach((name, ofFunction) -> views.put(name, views(ofFunction)));
    return of(views, WorkerAllocations.of(instances), workers, replicaId, epoch, status);
  }

  /** From views and allocations kept up to date elsewhere (see {@link PublishIndex}): O(functions + workers). */
  static ClusterSnapshot of(Map<String, List<InstanceView>> views, WorkerAllocations allocated,
      List<WorkerState> workers, String replicaId, long epoch, Map<String, FunctionStatus> status) {
    return of(views, new WorkerViews().of(workers, allocated), replicaId, epoch, status);
  }

  /** From views kept up to date elsewhere ({@link PublishIndex}, {@link WorkerViews}). */
  static ClusterSnapshot of(Map<String, List<InstanceView>> views, List<WorkerView> workers, String replicaId,
      long epoch, Map<String, FunctionStatus> status) {
    return new ClusterSnapshot(ShardedMap.immutable(views), workers, info(replicaId, epoch), status);
  }

  /** One function's instances as readers see them, by id. */
  static List<InstanceView> views(List<Instance> instances) {
    return instances.stream().map(ClusterSnapshot::view).sorted(Comparator.comparing(InstanceView::id)).toList();
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
