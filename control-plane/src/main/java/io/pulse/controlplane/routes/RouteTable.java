package io.pulse.controlplane.routes;

import io.pulse.common.collect.ShardedMap;
import io.pulse.controlplane.membership.WorkerInfo;
import java.util.List;
import java.util.Map;

/**
 * Everything a data plane routes by, at one moment: functions, live workers and what Regular Instances reserve and
 * create on each worker (the expedited track's headroom and crowding view). Immutable.
 */
public record RouteTable(Map<String, Route> functions, List<WorkerInfo> workers,
    Map<String, WorkerLoad> workerLoads) {

  public static final RouteTable EMPTY = new RouteTable(Map.of(), List.of(), Map.of());

  public RouteTable {
    // Kept up to date across publishes as sharded maps (RouteFunctions, WorkerAllocations): not copied per table.
    functions = ShardedMap.immutable(functions);
    workers = List.copyOf(workers);
    workerLoads = ShardedMap.immutable(workerLoads);
  }

  public RouteTable(Map<String, Route> functions, List<WorkerInfo> workers) {
    this(functions, workers, Map.of());
  }
}
