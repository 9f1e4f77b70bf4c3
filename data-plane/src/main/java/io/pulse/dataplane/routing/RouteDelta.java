package io.pulse.dataplane.routing;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One routing message from the control plane, in our own terms. {@code fullSnapshot}: {@code upserts} is everything
 * (and {@code removed} is ignored). {@code workers} and {@code workerLoads} are null when unchanged;
 * {@code workerLoadsPartial}: {@code workerLoads} holds only the workers whose load changed (zero: nothing now).
 */
public record RouteDelta(boolean fullSnapshot, List<Route> upserts, List<String> removed,
    @Nullable List<WorkerRef> workers, @Nullable List<WorkerLoad> workerLoads, boolean workerLoadsPartial) {

  public RouteDelta {
    upserts = List.copyOf(upserts);
    removed = List.copyOf(removed);
    workers = workers == null ? null : List.copyOf(workers);
    workerLoads = workerLoads == null ? null : List.copyOf(workerLoads);
  }

  public RouteDelta(boolean fullSnapshot, List<Route> upserts, List<String> removed,
      @Nullable List<WorkerRef> workers, @Nullable List<WorkerLoad> workerLoads) {
    this(fullSnapshot, upserts, removed, workers, workerLoads, false);
  }

  public RouteDelta(boolean fullSnapshot, List<Route> upserts, List<String> removed,
      @Nullable List<WorkerRef> workers) {
    this(fullSnapshot, upserts, removed, workers, null);
  }

  public static RouteDelta snapshot(List<Route> routes, List<WorkerRef> workers) {
    return new RouteDelta(true, routes, List.of(), workers, null);
  }
}
