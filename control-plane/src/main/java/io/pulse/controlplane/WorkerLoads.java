package io.pulse.controlplane;

import io.pulse.controlplane.instances.Instance;
import io.pulse.controlplane.placement.ResourceRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What Regular Instances (pending, ready or draining) reserve per worker: the expedited track's headroom view. */
final class WorkerLoads {

  private WorkerLoads() {}

  static Map<String, ResourceRequest> of(List<Instance> instances) {
    Map<String, ResourceRequest> loads = new HashMap<>();
    for (Instance instance : instances) {
      loads.merge(instance.workerId(), instance.resources(), (a, b) ->
          new ResourceRequest(a.cpuMillis() + b.cpuMillis(), a.memoryMiB() + b.memoryMiB()));
    }
    return loads;
  }
}
