package io.pulse.dataplane.routing;

import io.pulse.common.collect.ShardedMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An immutable view of every routable function. Never mutated: {@link #apply} returns the next table, which
 * {@link RoutingState} publishes whole. Routes and worker loads are {@link ShardedMap}s: the next table shares every
 * shard an update does not touch, so a delta of a few functions no longer copies every route and every worker's load
 * (what the data plane allocated most under a steady stream of creations).
 */
public final class RoutingTable {

  private static final RoutingTable EMPTY = new RoutingTable(false, ShardedMap.empty(), List.of(),
      ShardedMap.empty());

  private final boolean loaded;
  private final ShardedMap<Route> routes;
  private final List<WorkerRef> workers;
  private final ShardedMap<WorkerLoad> workerLoads;

  private RoutingTable(boolean loaded, ShardedMap<Route> routes, List<WorkerRef> workers,
      ShardedMap<WorkerLoad> workerLoads) {
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
    Map<String, Route> upserts = new HashMap<>();
    for (Route route : delta.upserts()) {
      upserts.put(route.function(), route);
    }
    ShardedMap<Route> next = delta.fullSnapshot() ? ShardedMap.<Route>empty().with(upserts, List.of())
        : routes.with(upserts, delta.removed());
    List<WorkerRef> nextWorkers = delta.workers() != null ? delta.workers()
        : delta.fullSnapshot() ? List.of() : workers;
    ShardedMap<WorkerLoad> nextLoads = workerLoads;
    if (delta.workerLoads() != null) {
      // Partial: the changed workers on top of what we hold (a zero load: the worker holds nothing now).
      Map<String, WorkerLoad> puts = new HashMap<>();
      List<String> gone = new ArrayList<>();
      delta.workerLoads().forEach(load -> {
        if (delta.workerLoadsPartial() && load.nothing()) {
          puts.remove(load.workerId());
          gone.add(load.workerId());
        } else {
          puts.put(load.workerId(), load);
        }
      });
      nextLoads = (delta.workerLoadsPartial() ? workerLoads : ShardedMap.<WorkerLoad>empty()).with(puts, gone);
    } else if (delta.fullSnapshot()) {
      nextLoads = ShardedMap.empty();
    }
    return new RoutingTable(loaded || delta.fullSnapshot(), next, nextWorkers, nextLoads);
  }

  @Override
  public String toString() {
    return "RoutingTable[loaded=" + loaded + ", functions=" + routes.keySet() + "]";
  }
}
