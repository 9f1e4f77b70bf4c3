package io.pulse.controlplane.routes;

import io.pulse.controlplane.membership.WorkerInfo;
import io.pulse.controlplane.placement.ResourceRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One message to a subscriber: either a full snapshot, or the functions that changed (whole), the names of removed
 * ones and, when they changed, the live workers.
 */
public record RouteDelta(boolean fullSnapshot, List<Route> upserts, List<String> removed, boolean workersChanged,
    List<WorkerInfo> workers, boolean workerLoadsChanged, Map<String, ResourceRequest> workerLoads) {

  public RouteDelta {
    upserts = List.copyOf(upserts);
    removed = List.copyOf(removed);
    workers = List.copyOf(workers);
    workerLoads = Map.copyOf(workerLoads);
  }

  public RouteDelta(boolean fullSnapshot, List<Route> upserts, List<String> removed, boolean workersChanged,
      List<WorkerInfo> workers) {
    this(fullSnapshot, upserts, removed, workersChanged, workers, false, Map.of());
  }

  public static RouteDelta full(RouteTable table) {
    List<Route> all = table.functions().values().stream()
        .sorted((a, b) -> a.name().compareTo(b.name())).toList();
    return new RouteDelta(true, all, List.of(), true, table.workers(), true, table.workerLoads());
  }

  /** What turns {@code before} into {@code after}. */
  public static RouteDelta between(RouteTable before, RouteTable after) {
    List<Route> upserts = new ArrayList<>();
    for (Map.Entry<String, Route> entry : after.functions().entrySet()) {
      if (!entry.getValue().equals(before.functions().get(entry.getKey()))) {
        upserts.add(entry.getValue());
      }
    }
    upserts.sort((a, b) -> a.name().compareTo(b.name()));
    List<String> removed = before.functions().keySet().stream()
        .filter(name -> !after.functions().containsKey(name)).sorted().toList();
    boolean workersChanged = !before.workers().equals(after.workers());
    boolean loadsChanged = !before.workerLoads().equals(after.workerLoads());
    return new RouteDelta(false, upserts, removed, workersChanged, workersChanged ? after.workers() : List.of(),
        loadsChanged, loadsChanged ? after.workerLoads() : Map.of());
  }

  public boolean isEmpty() {
    return !fullSnapshot && upserts.isEmpty() && removed.isEmpty() && !workersChanged && !workerLoadsChanged;
  }
}
