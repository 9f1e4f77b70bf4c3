package io.pulse.controlplane.instances;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Instances by id, indexed by function and by worker. Confined to the lifecycle's context. */
final class InstanceTable {

  private final Map<String, Instance> byId = new LinkedHashMap<>();
  private final Map<String, Map<String, Instance>> byFunction = new HashMap<>();
  private final Map<String, Map<String, Instance>> byWorker = new HashMap<>();
  /** Per worker: {cpuMillis, memoryMiB} its instances hold, kept as instances come and go (placement reads it). */
  private final Map<String, int[]> allocated = new HashMap<>();

  @Nullable Instance get(String id) {
    return byId.get(id);
  }

  boolean contains(String id) {
    return byId.containsKey(id);
  }

  void put(Instance instance) {
    remove(instance.id());
    byId.put(instance.id(), instance);
    byFunction.computeIfAbsent(instance.function(), k -> new LinkedHashMap<>()).put(instance.id(), instance);
    byWorker.computeIfAbsent(instance.workerId(), k -> new LinkedHashMap<>()).put(instance.id(), instance);
    int[] sums = allocated.computeIfAbsent(instance.workerId(), k -> new int[2]);
    sums[0] += instance.resources().cpuMillis();
    sums[1] += instance.resources().memoryMiB();
  }

  @Nullable Instance remove(String id) {
    Instance removed = byId.remove(id);
    if (removed != null) {
      unindex(byFunction, removed.function(), id);
      unindex(byWorker, removed.workerId(), id);
      int[] sums = allocated.get(removed.workerId());
      sums[0] -= removed.resources().cpuMillis();
      sums[1] -= removed.resources().memoryMiB();
      if (!byWorker.containsKey(removed.workerId())) {
        allocated.remove(removed.workerId());
      }
    }
    return removed;
  }

  List<Instance> ofFunction(String function) {
    return List.copyOf(byFunction.getOrDefault(function, Map.of()).values());
  }

  List<Instance> onWorker(String workerId) {
    return List.copyOf(byWorker.getOrDefault(workerId, Map.of()).values());
  }

  /** CPU (millicores) the instances on a worker hold. */
  int cpuOn(String workerId) {
    int[] sums = allocated.get(workerId);
    return sums == null ? 0 : sums[0];
  }

  /** Memory (MiB) the instances on a worker hold. */
  int memoryOn(String workerId) {
    int[] sums = allocated.get(workerId);
    return sums == null ? 0 : sums[1];
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
