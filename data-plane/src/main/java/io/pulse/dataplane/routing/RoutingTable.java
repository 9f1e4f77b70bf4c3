package io.pulse.dataplane.routing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An immutable view of every routable function. Never mutated: {@link #apply} returns the next table, which
 * {@link RoutingState} publishes whole.
 */
public final class RoutingTable {

  private static final RoutingTable EMPTY = new RoutingTable(false, Map.of(), List.of(), Map.of());

  private final boolean loaded;
  private final Map<String, Route> routes;
  private final List<WorkerRef> workers;
  private final Map<String, WorkerLoad> workerLoads;

  private RoutingTable(boolean loaded, Map<String, Route> routes, List<WorkerRef> workers,
      Map<String, WorkerLoad> workerLoads) {
    this.loaded = loaded;
    this.routes = routes;
    this.workers = workers;
    this.workerLoads = workerLoads;
  }

  /** The table before the first snapshot: knows nothing and says so through {@link #loaded()}. */
  public static RoutingTable empty() {
    return EMPTY;
  }

  /** Whether a full snapshot has ever been applied. */
  public boolean loaded() {
    return loaded;
  }

  public @Nullable Route route(String function) {
    return routes.get(function);
  }

  public Map<String, Route> routes() {
    return routes;
  }

  public List<WorkerRef> workers() {
    return workers;
  }

  /** What Regular Instances reserve per worker id (absent: nothing known, read as nothing reserved). */
  public Map<String, WorkerLoad> workerLoads() {
    return workerLoads;
  }

  /** The table after {@code delta}: a snapshot replaces everything, a delta upserts whole routes and removes names. */
  public RoutingTable apply(RouteDelta delta) {
    Map<String, Route> next = delta.fullSnapshot() ? new HashMap<>() : new HashMap<>(routes);
    if (!delta.fullSnapshot()) {
      delta.removed().forEach(next::remove);
    }
    for (Route route : delta.upserts()) {
      next.put(route.function(), route);
    }
    List<WorkerRef> nextWorkers = delta.workers() != null ? delta.workers()
        : delta.fullSnapshot() ? List.of() : workers;
    Map<String, WorkerLoad> nextLoads = workerLoads;
    if (delta.workerLoads() != null) {
      // Partial: the changed workers on top of what we hold (a zero load: the worker holds nothing now).
      Map<String, WorkerLoad> loads = delta.workerLoadsPartial() ? new HashMap<>(workerLoads) : new HashMap<>();
      delta.workerLoads().forEach(load -> {
        if (delta.workerLoadsPartial() && load.cpuMillis() == 0 && load.memoryMiB() == 0) {
          loads.remove(load.workerId());
        } else {
          loads.put(load.workerId(), load);
        }
      });
      nextLoads = Map.copyOf(loads);
    } else if (delta.fullSnapshot()) {
      nextLoads = Map.of();
    }
    return new RoutingTable(loaded || delta.fullSnapshot(), Map.copyOf(next), nextWorkers, nextLoads);
  }

  @Override
  public String toString() {
    return "RoutingTable[loaded=" + loaded + ", functions=" + routes.keySet() + "]";
  }
}
