package io.pulse.controlplane.routes;

import io.pulse.common.collect.ShardedMap;
import io.pulse.controlplane.membership.WorkerInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One message to a subscriber: either a full snapshot, or the functions that changed (whole), the names of removed
 * ones and, when they changed, the live workers and the loads of the workers whose load changed
 * ({@code workerLoadsPartial}; a worker that holds nothing any more appears with a zero load).
 */
public record RouteDelta(boolean fullSnapshot, List<Route> upserts, List<String> removed, boolean workersChanged,
    List<WorkerInfo> workers, boolean workerLoadsChanged, Map<String, WorkerLoad> workerLoads,
    boolean workerLoadsPartial) {

  public RouteDelta {
    upserts = List.copyOf(upserts);
    removed = List.copyOf(removed);
    workers = List.copyOf(workers);
    workerLoads = Map.copyOf(workerLoads);
  }

  public RouteDelta(boolean fullSnapshot, List<Route> upserts, List<String> removed, boolean workersChanged,
      List<WorkerInfo> workers) {
    this(fullSnapshot, upserts, removed, workersChanged, workers, false, Map.of(), false);
  }

  public static RouteDelta full(RouteTable table) {
    List<Route> all = table.functions().values().stream()
        .sorted((a, b) -> a.name().compareTo(b.name())).toList();
    return new RouteDelta(true, all, List.of(), true, table.workers(), true, table.workerLoads(), false);
  }

  /** What turns {@code before} into {@code after}. */
  public static RouteDelta between(RouteTable before, RouteTable after) {
    List<Route> upserts = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    ShardedMap.diff(before.functions(), after.functions(), (name, route) -> upserts.add(route), removed::add);
    upserts.sort((a, b) -> a.name().compareTo(b.name()));
    removed.sort(null);
    boolean workersChanged = !before.workers().equals(after.workers());
    Map<String, WorkerLoad> loads = changedLoads(before.workerLoads(), after.workerLoads());
    return new RouteDelta(false, upserts, removed, workersChanged, workersChanged ? after.workers() : List.of(),
        !loads.isEmpty(), loads, true);
  }

  /** The workers whose load differs, with their load now; a worker gone from {@code after} holds nothing. */
  static Map<String, WorkerLoad> changedLoads(Map<String, WorkerLoad> before,
      Map<String, WorkerLoad> after) {
    if (before == after) {
      return Map.of();
    }
    Map<String, WorkerLoad> changed = new HashMap<>();
    ShardedMap.diff(before, after, changed::put, worker -> changed.put(worker, WorkerLoad.NOTHING));
    return changed;
  }

  public boolean isEmpty() {
    return !fullSnapshot && upserts.isEmpty() && removed.isEmpty() && !workersChanged && !workerLoadsChanged;
  }
}
