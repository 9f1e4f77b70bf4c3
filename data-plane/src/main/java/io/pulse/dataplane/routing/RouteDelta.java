package io.pulse.dataplane.routing;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One routing message from the control plane, in our own terms. {@code fullSnapshot}: {@code upserts} is everything
 * (and {@code removed} is ignored). {@code workers} is null when unchanged.
 */
public record RouteDelta(boolean fullSnapshot, List<Route> upserts, List<String> removed,
    @Nullable List<WorkerRef> workers) {

  public RouteDelta {
    upserts = List.copyOf(upserts);
    removed = List.copyOf(removed);
    workers = workers == null ? null : List.copyOf(workers);
  }

  public static RouteDelta snapshot(List<Route> routes, List<WorkerRef> workers) {
    return new RouteDelta(true, routes, List.of(), workers);
  }
}
