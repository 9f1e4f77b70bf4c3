package io.pulse.dataplane.expedited;

import java.util.HashMap;
import java.util.Map;

/**
 * How many Emergency Instances this data plane creates at once on each worker, adapted to how long its creations
 * take there: a gradient limit, as TCP Vegas and Netflix's concurrency-limits shape it. A creation shares the host's
 * containerd, shims and CPU with every other creation, Regular ones included; once creations take much longer than
 * the worker's fastest recent ones, more of them at once only slows all of them down (the spiral issue 15 measured on
 * containerd: 0.56 s per creation under kpa, 1.5 s when the expedited track added its own). A request the limit turns
 * away waits for a Regular slot or the next creation place. Creations up to {@link #TOLERANCE} times the floor count
 * as unloaded, so a runtime whose creation time does not grow with concurrency is never limited below the fixed cap.
 * Not thread-safe: the ledger's lock guards it; no clock, no I/O.
 */
final class CreationLimit {

  /** A creation up to this many times the worker's floor is not slowed by the others. */
  static final double TOLERANCE = 2.0;
  /** Weight of the newest creation in the recent average: a few creations follow a host getting busy. */
  private static final double RECENT_WEIGHT = 0.3;
  /** Weight of a creation that ran alone in the floor: the worker's own speed, whatever else slows it. */
  private static final double ALONE_WEIGHT = 0.2;
  /** Share of the gap to its target the limit moves per creation: one slow creation does not halve it. */
  private static final double LIMIT_STEP = 0.2;
  /** The most one update takes away: the limit at least halves its target, never more. */
  private static final double MIN_GRADIENT = 0.5;

  private record State(double floorNanos, double recentNanos, double limit) {}

  private final int max;
  private final Map<String, State> workers = new HashMap<>();

  CreationLimit(int max) {
    this.max = max;
  }

  /** Creations that may run at once on the worker now: the fixed cap until its creations say otherwise. */
  int limit(String workerId) {
    State state = workers.get(workerId);
    return state == null ? max : Math.max(1, (int) state.limit());
  }

  /**
   * A creation on the worker took {@code nanos} (a creation cut short by its deadline: at least that); {@code alone}:
   * no other creation (ours or a Regular one) was under way there when it began. The floor is the lowest recent
   * average, and follows the creations that ran alone either way (a host slower for reasons of its own is re-based by
   * them; ours at once never raise it). The limit moves toward {@code limit × min(1, TOLERANCE × floor / recent) + 1}:
   * it grows by probing while creations stay fast and settles where they do not slow each other beyond the tolerance.
   */
  void measured(String workerId, long nanos, boolean alone) {
    State state = workers.get(workerId);
    if (state == null) {
      workers.put(workerId, new State(nanos, nanos, max));
      return;
    }
    double recent = state.recentNanos() + RECENT_WEIGHT * (nanos - state.recentNanos());
    double floor = alone ? state.floorNanos() + ALONE_WEIGHT * (nanos - state.floorNanos()) : state.floorNanos();
    floor = Math.min(floor, recent);
    double gradient = Math.clamp(TOLERANCE * floor / recent, MIN_GRADIENT, 1.0);
    double target = state.limit() * gradient + 1;
    double limit = Math.clamp(state.limit() + LIMIT_STEP * (target - state.limit()), 1.0, max);
    workers.put(workerId, new State(floor, recent, limit));
  }

  /** Every worker's limit now, for the metrics. */
  Map<String, Integer> limits() {
    Map<String, Integer> out = new HashMap<>();
    workers.keySet().forEach(worker -> out.put(worker, limit(worker)));
    return out;
  }
}
