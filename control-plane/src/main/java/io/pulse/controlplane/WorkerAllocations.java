package io.pulse.controlplane;

import io.pulse.common.collect.ShardedMap;
import io.pulse.controlplane.instances.Instance;
import io.pulse.controlplane.instances.InstanceState;
import io.pulse.controlplane.routes.WorkerLoad;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What Regular Instances (pending, ready or draining) hold per worker, kept as sums that instances are added to and
 * taken from, so a change costs O(changed instances). Confined to the control plane's context.
 */
final class WorkerAllocations {

  /** @param creating the instances still being created (pending) */
  record Sum(int cpuMillis, int memoryMiB, int instances, int creating) {
    static final Sum ZERO = new Sum(0, 0, 0, 0);

    Sum plus(Instance instance, int sign) {
      return new Sum(cpuMillis + sign * instance.resources().cpuMillis(),
          memoryMiB + sign * instance.resources().memoryMiB(), instances + sign,
          creating + (instance.state() == InstanceState.PENDING ? sign : 0));
    }
  }

  private final Map<String, Sum> byWorker = new HashMap<>();
  /** {@link #loads()} as last returned, and the workers whose sum changed since. */
  private ShardedMap<WorkerLoad> loads = ShardedMap.empty();
  private final Set<String> changedSinceLoads = new HashSet<>();

  static WorkerAllocations of(List<Instance> instances) {
    WorkerAllocations allocations = new WorkerAllocations();
    instances.forEach(allocations::add);
    return allocations;
  }

  void add(Instance instance) {
    change(instance, 1);
  }

  void remove(Instance instance) {
    change(instance, -1);
  }

  Sum of(String workerId) {
    return byWorker.getOrDefault(workerId, Sum.ZERO);
  }

  /**
   * The expedited track's headroom and crowding view: what each worker's Regular Instances reserve, and how many
   * are being created. Updated for the workers whose sum changed since the last call (a publish), so it is the same
   * map object while nothing changed, and otherwise shares every shard no change touched.
   */
  ShardedMap<WorkerLoad> loads() {
    if (changedSinceLoads.isEmpty()) {
      return loads;
    }
    Map<String, WorkerLoad> puts = new HashMap<>();
    List<String> removed = new ArrayList<>();
    for (String worker : changedSinceLoads) {
      Sum sum = byWorker.get(worker);
      if (sum == null) {
        removed.add(worker);
      } else if (!sameLoad(loads.get(worker), sum)) {
        // A function's instances are taken away and added back whenever one of them changes: mostly the same sums.
        puts.put(worker, new WorkerLoad(sum.cpuMillis(), sum.memoryMiB(), sum.creating()));
      }
    }
    changedSinceLoads.clear();
    loads = loads.with(puts, removed);
    return loads;
  }

  private static boolean sameLoad(@Nullable WorkerLoad load, Sum sum) {
    return load != null && load.cpuMillis() == sum.cpuMillis() && load.memoryMiB() == sum.memoryMiB()
        && load.creating() == sum.creating();
  }

  private void change(Instance instance, int sign) {
    Sum sum = of(instance.workerId()).plus(instance, sign);
    if (sum.instances() == 0) {
      byWorker.remove(instance.workerId());
    } else {
      byWorker.put(instance.workerId(), sum);
    }
    changedSinceLoads.add(instance.workerId());
  }
}
