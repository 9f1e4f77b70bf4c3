package io.pulse.controlplane.routes;

import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.registry.ScalingPolicy;
import io.pulse.controlplane.status.FunctionStatus;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One function's route as last built, reused while what it was built from stays the same (the same record and
 * ready-instance list objects, an equal status). A publish builds a route per function: rebuilding each (sorting its
 * instances, copying its pool map) for a thousand functions when a few changed was most of a steady publish, and the
 * route diff then compared equal copies instance by instance; a reused route compares by reference. Confined to the
 * control plane's context.
 */
public final class ReusedRoute {

  private @Nullable Route route;
  private @Nullable List<RouteInstance> ready;
  private @Nullable FunctionStatus status;

  /** The route of {@code record} with {@code readyNow} (a list that is replaced, never changed, when it changes). */
  public Route of(FunctionRecord record, List<RouteInstance> readyNow, ScalingPolicy defaultPolicy,
      FunctionStatus known) {
    ScalingPolicy policy = record.spec().scaling().policyOr(defaultPolicy);
    Route last = route;
    if (last == null || last.function() != record || ready != readyNow || !known.equals(status)
        || last.policy() != policy) {
      last = new Route(record, readyNow, policy, known.lastPlacementFailure() != null,
          known.readyPoolMembers(record.revision()));
      route = last;
      ready = readyNow;
      status = known;
    }
    return last;
  }
}
