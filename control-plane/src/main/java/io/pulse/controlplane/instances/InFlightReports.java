package io.pulse.controlplane.instances;

import java.util.HashMap;
import java.util.Map;

/**
 * Which instances have requests in flight, as the data planes last reported it (each report replaces that data
 * plane's view; absent means none there). Lets a drained instance be deleted only once its requests are done.
 * Immutable.
 */
public record InFlightReports(Map<String, Map<String, Integer>> byDataPlane) {

  public static final InFlightReports NONE = new InFlightReports(Map.of());

  public InFlightReports {
    byDataPlane = Map.copyOf(byDataPlane);
  }

  /** A data plane's report: in-flight requests by instance id (entries with zero may be omitted). */
  public InFlightReports report(String dataPlaneId, Map<String, Integer> inFlight) {
    Map<String, Map<String, Integer>> next = new HashMap<>(byDataPlane);
    Map<String, Integer> busy = new HashMap<>();
    inFlight.forEach((id, n) -> {
      if (n > 0) {
        busy.put(id, n);
      }
    });
    if (busy.isEmpty()) {
      next.remove(dataPlaneId);
    } else {
      next.put(dataPlaneId, Map.copyOf(busy));
    }
    return new InFlightReports(next);
  }

  /** Without the data plane (its stream ended: its requests are gone with it). */
  public InFlightReports without(String dataPlaneId) {
    if (!byDataPlane.containsKey(dataPlaneId)) {
      return this;
    }
    Map<String, Map<String, Integer>> next = new HashMap<>(byDataPlane);
    next.remove(dataPlaneId);
    return new InFlightReports(next);
  }

  public boolean inUse(String instanceId) {
    return byDataPlane.values().stream().anyMatch(instances -> instances.containsKey(instanceId));
  }
}
