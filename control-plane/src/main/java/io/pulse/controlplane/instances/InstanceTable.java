package io.pulse.controlplane.instances;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Instances by id, indexed by function and by worker. Confined to the lifecycle's context. */
final class InstanceTable {

  private final Map<String, Instance> byId = new LinkedHashMap<>();
  private final Map<String, Map<String, Instance>> byFunction = new HashMap<>();
  private final Map<String, Map<String, Instance>> byWorker = new HashMap<>();
  /** Functions with an instance put or removed since {@link #takeChanged()}: what a publish must rebuild. */
  private Set<String> changed = new HashSet<>();
  /** Told what each instance holds as it comes (positive) and goes (negative): placement's index follows it. */
  private final Allocations allocations;

  /** Resources instances hold on a worker, as deltas. */
  @FunctionalInterface
  interface Allocations {
    void add(String workerId, int cpuMillis, int memoryMiB);
  }

  InstanceTable(Allocations allocations) {
    this.allocations = allocations;
  }

  @Nullable Instance get(String id) {
    return byId.get(id);
  }

  boolean contains(String id) {
    return byId.containsKey(id);
  }

  void put(Instance instance) {
    remove(instance.id());
    changed.add(instance.function());
    byId.put(instance.id(), instance);
    byFunction.computeIfAbsent(instance.function(), k -> new LinkedHashMap<>()).put(instance.id(), instance);
    byWorker.computeIfAbsent(instance.workerId(), k -> new LinkedHashMap<>()).put(instance.id(), instance);
    allocations.add(instance.workerId(), instance.resources().cpuMillis(), instance.resources().memoryMiB());
  }

  @Nullable Instance remove(String id) {
    Instance removed = byId.remove(id);
    if (removed != null) {
      changed.add(removed.function());
      unindex(byFunction, removed.function(), id);
      unindex(byWorker, removed.workerId(), id);
      allocations.add(removed.workerId(), -removed.resources().cpuMillis(), -removed.resources().memoryMiB());
    }
    return removed;
  }

  List<Instance> ofFunction(String function) {
    return List.copyOf(byFunction.getOrDefault(function, Map.of()).values());
  }

  List<Instance> onWorker(String workerId) {
    return List.copyOf(byWorker.getOrDefault(workerId, Map.of()).values());
  }

  Collection<String> functions() {
    return byFunction.keySet();
  }

  int count(String function, InstanceState state) {
    int count = 0;
    for (Instance instance : byFunction.getOrDefault(function, Map.of()).values()) {
      if (instance.state() == state) {
        count++;
      }
    }
    return count;
  }

  /** The functions whose instances changed since the last call. */
  Set<String> takeChanged() {
    Set<String> taken = changed;
    changed = new HashSet<>();
    return taken;
  }

  List<Instance> all() {
    return List.copyOf(byId.values());
  }

  private static void unindex(Map<String, Map<String, Instance>> index, String key, String id) {
    Map<String, Instance> group = index.get(key);
    if (group != null) {
      group.remove(id);
      if (group.isEmpty()) {
        index.remove(key);
      }
    }
  }
}
