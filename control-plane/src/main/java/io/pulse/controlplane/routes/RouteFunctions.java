package io.pulse.controlplane.routes;

import io.pulse.common.collect.ShardedMap;
import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.registry.ScalingPolicy;
import io.pulse.controlplane.status.FunctionStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The route of every registered function, kept as one sharded map from publish to publish: a publish writes only the
 * functions whose route object changed ({@link ReusedRoute}), so the steady state (a thousand functions, a few
 * changing per publish) no longer allocates a map of every route, and its copy, per publish. Confined to the control
 * plane's context.
 */
public final class RouteFunctions {

  private final Map<String, ReusedRoute> built = new HashMap<>();
  private final Map<String, Route> changed = new HashMap<>();
  private ShardedMap<Route> routes = ShardedMap.empty();

  /**
   * Every function of {@code records} with its route now; shares with the previous result every shard in which no
   * route changed.
   *
   * @param ready a function's ready instances (the same list object while they do not change)
   * @param statuses a function's status; absent: {@link FunctionStatus#NONE}
   */
  public ShardedMap<Route> of(Map<String, FunctionRecord> records, Function<String, List<RouteInstance>> ready,
      ScalingPolicy defaultPolicy, Map<String, FunctionStatus> statuses) {
    for (Map.Entry<String, FunctionRecord> entry : records.entrySet()) {
      String name = entry.getKey();
      ReusedRoute reused = built.get(name);
      if (reused == null) {
        reused = new ReusedRoute();
        built.put(name, reused);
      }
      Route route = reused.of(entry.getValue(), ready.apply(name), defaultPolicy,
          statuses.getOrDefault(name, FunctionStatus.NONE));
      if (routes.get(name) != route) {
        changed.put(name, route);
      }
    }
    routes = routes.following(records, changed);
    if (built.size() > routes.size()) {
      built.keySet().retainAll(records.keySet());
    }
    changed.clear();
    return routes;
  }
}
