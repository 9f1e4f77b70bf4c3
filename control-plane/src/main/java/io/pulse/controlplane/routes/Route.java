package io.pulse.controlplane.routes;

import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.registry.ScalingPolicy;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A function as data planes see it: its current record, its ready instances (any revision), sorted by id, the
 * scaling policy in force (the function's own or the cluster default), and whether an instance it wants finds no
 * worker with room (its callers are told "no capacity" when they cannot be served), and the workers whose pools hold
 * ready sandboxes of the current revision, by worker id (the expedited track prefers them).
 */
public record Route(FunctionRecord function, List<RouteInstance> instances, ScalingPolicy policy,
    boolean noCapacity, Map<String, Integer> readyPoolMembers) {

  public Route {
    instances = instances.stream().sorted(Comparator.comparing(RouteInstance::instanceId)).toList();
    readyPoolMembers = Map.copyOf(readyPoolMembers);
  }

  public Route(FunctionRecord function, List<RouteInstance> instances, ScalingPolicy policy, boolean noCapacity) {
    this(function, instances, policy, noCapacity, Map.of());
  }

  public Route(FunctionRecord function, List<RouteInstance> instances, ScalingPolicy policy) {
    this(function, instances, policy, false);
  }

  /** The function's own policy, dual-track when it has none. */
  public Route(FunctionRecord function, List<RouteInstance> instances) {
    this(function, instances, function.spec().scaling().policyOr(ScalingPolicy.DUAL_TRACK));
  }

  public String name() {
    return function.name();
  }
}
