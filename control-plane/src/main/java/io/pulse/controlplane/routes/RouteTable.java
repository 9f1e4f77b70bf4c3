package io.pulse.controlplane.routes;

import io.pulse.controlplane.membership.WorkerInfo;
import io.pulse.controlplane.placement.ResourceRequest;
import java.util.List;
import java.util.Map;

/**
 * Everything a data plane routes by, at one moment: functions, live workers and what Regular Instances reserve on
 * each worker (the expedited track's headroom view). Immutable.
 */
public record RouteTable(Map<String, Route> functions, List<WorkerInfo> workers,
    Map<String, ResourceRequest> workerLoads) {

  public static final RouteTable EMPTY = new RouteTable(Map.of(), List.of(), Map.of());

  public RouteTable {
    functions = Map.copyOf(functions);
    workers = List.copyOf(workers);
    workerLoads = Map.copyOf(workerLoads);
  }

  public RouteTable(Map<String, Route> functions, List<WorkerInfo> workers) {
    this(functions, workers, Map.of());
  }
}
