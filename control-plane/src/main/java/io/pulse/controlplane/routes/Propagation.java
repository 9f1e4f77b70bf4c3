package io.pulse.controlplane.routes;

import io.vertx.core.Promise;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One wait for a state to reach every data plane: first until the published table satisfies {@code reached}, then
 * until every sink connected at that moment has acknowledged that version (or gone away).
 */
final class Propagation {

  private final Predicate<RouteTable> reached;
  private final Promise<Boolean> promise;
  private long targetVersion = -1;
  private Set<RouteSink> awaited = Set.of();

  Propagation(Predicate<RouteTable> reached, Promise<Boolean> promise) {
    this.reached = reached;
    this.promise = promise;
  }

  /** Re-evaluates against the publisher's state; completes the promise (true) once propagated. */
  boolean check(RouteTable sent, long version, Map<RouteSink, Long> acked) {
    if (targetVersion < 0) {
      if (!reached.test(sent)) {
        return false;
      }
      targetVersion = version;
      awaited = Set.copyOf(acked.keySet());
    }
    for (RouteSink sink : awaited) {
      Long ack = acked.get(sink);
      if (ack != null && ack < targetVersion) {
        return false; // still connected and behind
      }
    }
    return promise.tryComplete(true);
  }

  /** Gives up waiting (false: not confirmed by every data plane). */
  void expire() {
    promise.tryComplete(false);
  }

  boolean done() {
    return promise.future().isComplete();
  }
}
