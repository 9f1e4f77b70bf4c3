package io.pulse.controlplane.routes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * Functions scaled from zero whose queued requests wait for their first route. Route changes are otherwise coalesced
 * over a few milliseconds (a burst of creations must not republish per answer), but a request held in a data plane's
 * queue waits out every such delay: the first ready instance of a waited-for function is published at once instead.
 * Confined to the control plane's context; holds no timer, the caller passes the time in.
 */
public final class FirstRouteWaits {

  /** A function that got its first ready instance, and how long after its scale-from-zero decision. */
  public record Reached(String function, long waitedMillis) {}

  /** Function to when it was scaled from zero. */
  private final Map<String, Long> since = new HashMap<>();

  /** A request for {@code function} queued with nothing running: its first ready instance is urgent. */
  public void awaiting(String function, long nowMillis) {
    since.putIfAbsent(function, nowMillis);
  }

  /**
   * The waited-for functions that now have a ready instance, forgotten as they are returned (empty: nothing urgent).
   * O(functions waiting), not O(instances): called on every change.
   */
  public List<Reached> reached(ToIntFunction<String> readyInstances, long nowMillis) {
    if (since.isEmpty()) {
      return List.of();
    }
    List<Reached> reached = new ArrayList<>(1);
    since.entrySet().removeIf(entry -> {
      if (readyInstances.applyAsInt(entry.getKey()) == 0) {
        return false;
      }
      reached.add(new Reached(entry.getKey(), nowMillis - entry.getValue()));
      return true;
    });
    return reached;
  }

  /** Forgets functions no request waits for any more (answered elsewhere, timed out, deleted). */
  public void retain(Predicate<String> stillWaiting) {
    since.keySet().removeIf(stillWaiting.negate());
  }

  public void forget(String function) {
    since.remove(function);
  }

  public int size() {
    return since.size();
  }
}
