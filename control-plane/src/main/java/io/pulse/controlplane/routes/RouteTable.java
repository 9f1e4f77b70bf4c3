package io.pulse.controlplane.routes;

import io.pulse.controlplane.membership.WorkerInfo;
import java.util.List;
import java.util.Map;

/** Everything a data plane routes by, at one moment. Immutable. */
public record RouteTable(Map<String, Route> functions, List<WorkerInfo> workers) {

  public static final RouteTable EMPTY = new RouteTable(Map.of(), List.of());

  public RouteTable {
    functions = Map.copyOf(functions);
    workers = List.copyOf(workers);
  }
}
