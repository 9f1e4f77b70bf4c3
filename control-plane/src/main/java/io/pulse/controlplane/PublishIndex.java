package io.pulse.controlplane;

import io.pulse.common.collect.ShardedMap;
import io.pulse.controlplane.accounting.RegularFact;
import io.pulse.controlplane.api.ClusterView.InstanceView;
import io.pulse.controlplane.instances.Instance;
import io.pulse.controlplane.instances.InstanceState;
import io.pulse.controlplane.routes.RouteInstance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What a publish derives from the instances (routes' ready instances, readers' views, the ledger's facts, per-worker
 * sums), kept per function and rebuilt only for the functions whose instances changed: a burst of N creations then
 * costs O(N) per publish instead of O(all instances). Confined to the control plane's context.
 */
final class PublishIndex {

  /** One function's part, all derived from {@code instances}. */
  private record Part(List<Instance> instances, List<RouteInstance> ready, List<InstanceView> views,
      List<RegularFact> facts) {

    static Part of(List<Instance> instances) {
      List<RouteInstance> ready = new ArrayList<>();
      for (Instance instance : instances) {
        if (instance.state() == InstanceState.READY && instance.endpoint() != null) {
          ready.add(new RouteInstance(instance.id(), instance.endpoint(), instance.workerId()));
        }
      }
      return new Part(instances, List.copyOf(ready), ClusterSnapshot.views(instances),
          AccountingFacts.regular(instances));
    }
  }

  private final Map<String, Part> parts = new HashMap<>();
  /** Readers' instance views per function, shared from publish to publish except for the shards that changed. */
  private ShardedMap<List<InstanceView>> views = ShardedMap.empty();
  private final WorkerAllocations allocations = new WorkerAllocations();

  /**
   * Rebuilds the parts of {@code changed} functions from their instances now.
   *
   * @return the ledger facts of those functions (for {@code Accounting.regularInstances(changed, facts, now)})
   */
  List<RegularFact> update(Set<String> changed, Function<String, List<Instance>> instancesOf) {
    List<RegularFact> facts = new ArrayList<>();
    Map<String, List<InstanceView>> viewPuts = new HashMap<>();
    List<String> viewsGone = new ArrayList<>();
    for (String function : changed) {
      Part old = parts.remove(function);
      if (old != null) {
        old.instances().forEach(allocations::remove);
      }
      List<Instance> instances = instancesOf.apply(function);
      if (instances.isEmpty()) {
        if (old != null) {
          viewsGone.add(function);
        }
        continue;
      }
      Part part = Part.of(instances);
      parts.put(function, part);
      viewPuts.put(function, part.views());
      instances.forEach(allocations::add);
      facts.addAll(part.facts());
    }
    views = views.with(viewPuts, viewsGone);
    return facts;
  }

  /** The function's ready instances (the same list object until its instances change). */
  List<RouteInstance> ready(String function) {
    Part part = parts.get(function);
    return part == null ? List.of() : part.ready();
  }

  ShardedMap<List<InstanceView>> views() {
    return views;
  }

  WorkerAllocations allocations() {
    return allocations;
  }
}
