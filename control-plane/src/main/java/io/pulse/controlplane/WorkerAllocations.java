package io.pulse.controlplane;

import io.pulse.controlplane.instances.Instance;
import io.pulse.controlplane.placement.ResourceRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What Regular Instances (pending, ready or draining) hold per worker, kept as sums that instances are added to and
 * taken from, so a change costs O(changed instances). Confined to the control plane's context.
 */
final class WorkerAllocations {

  record Sum(int cpuMillis, int memoryMiB, int instances) {
    static final Sum ZERO = new Sum(0, 0, 0);

    Sum plus(Instance instance, int sign) {
      return new Sum(cpuMillis + sign * instance.resources().cpuMillis(),
          memoryMiB + sign * instance.resources().memoryMiB(), instances + sign);
    }
  }

  private final Map<String, Sum> byWorker = new HashMap<>();

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

  /** The expedited track's headroom view: what each worker's Regular Instances reserve. */
  Map<String, ResourceRequest> loads() {
    Map<String, ResourceRequest> loads = new HashMap<>();
    byWorker.forEach((worker, sum) -> loads.put(worker, new ResourceRequest(sum.cpuMillis(), sum.memoryMiB())));
    return loads;
  }

  private void change(Instance instance, int sign) {
    Sum sum = of(instance.workerId()).plus(instance, sign);
    if (sum.instances() == 0) {
      byWorker.remove(instance.workerId());
    } else {
      byWorker.put(instance.workerId(), sum);
    }
  }
}
