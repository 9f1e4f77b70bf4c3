package io.pulse.controlplane.pools;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The creations the leader saw per function on both tracks (its own Regular Instances, the data planes' reported
 * Emergency Instances), the worker each landed on, and how long they took. No clock: every call carries {@code now}.
 * Confined to the control plane's context.
 *
 * <p>{@link #recent} counts each worker's creations within a window the caller chooses (automatic sizing: a sixth of
 * the function's keep-alive); what is older is forgotten.
 *
 * <p>A new leader's log starts empty; {@link #restore} carries a previous term's rate over as if that many creations
 * had come evenly over the window before the failover, so the rate ages out as the lost log's creations would have.
 */
final class CreationLog {

  /** Creations kept per function at most: bounds memory under a creation storm (the rate saturates anyway). */
  static final int MAX_KEPT = 4_096;
  /** Creation times averaged (the most recent ones). */
  static final int TIMED = 16;

  private record Landed(long atMs, String workerId) {}

  /** {@code perSecond} creations per second, evenly over the window that ended {@code at}. */
  private record Restored(double perSecond, long at) {

    /** How many of them fall within the {@code spanMs} up to {@code now}. */
    double within(long spanMs, long windowMs, long now) {
      long from = Math.max(now - spanMs, at - windowMs);
      return perSecond * Math.max(0, Math.min(now, at) - from) / 1_000.0;
    }
  }

  private final Map<String, Deque<Landed>> created = new HashMap<>();
  private final Map<String, Deque<Double>> seconds = new HashMap<>();
  /** Function to worker to the rate carried over. */
  private final Map<String, Map<String, Restored>> restored = new HashMap<>();

  void created(String function, String workerId, long now) {
    Deque<Landed> landed = created.computeIfAbsent(function, f -> new ArrayDeque<>());
    landed.addLast(new Landed(now, workerId));
    if (landed.size() > MAX_KEPT) {
      landed.removeFirst();
    }
  }

  void ready(String function, double creationSeconds) {
    Deque<Double> recent = seconds.computeIfAbsent(function, f -> new ArrayDeque<>());
    recent.addLast(creationSeconds);
    if (recent.size() > TIMED) {
      recent.removeFirst();
    }
  }

  /** A previous term's rate of {@code function} on {@code workerId}, carried over at {@code now}. */
  void restore(String function, String workerId, double perSecond, long now) {
    if (perSecond > 0) {
      restored.computeIfAbsent(function, f -> new HashMap<>()).put(workerId, new Restored(perSecond, now));
    }
  }

  /**
   * The creations of {@code function} within the {@code windowMs} up to {@code now} on each worker where some landed
   * (a previous term's carried over: fractions); forgets what is older. Empty when the function was idle that long.
   */
  Map<String, Double> recent(String function, long windowMs, long now) {
    Map<String, Double> counts = new HashMap<>();
    Deque<Landed> landed = created.get(function);
    if (landed != null) {
      while (!landed.isEmpty() && landed.peekFirst().atMs() <= now - windowMs) {
        landed.removeFirst();
      }
      if (landed.isEmpty()) {
        created.remove(function);
      }
      landed.forEach(one -> counts.merge(one.workerId(), 1.0, Double::sum));
    }
    Map<String, Restored> carried = restored.get(function);
    if (carried != null) {
      carried.values().removeIf(r -> r.within(windowMs, windowMs, now) <= 0);
      carried.forEach((worker, r) -> counts.merge(worker, r.within(windowMs, windowMs, now), Double::sum));
      if (carried.isEmpty()) {
        restored.remove(function);
      }
    }
    return counts;
  }

  /** The mean of the recent creation times; NaN when none is known. */
  double creationSeconds(String function) {
    Deque<Double> recent = seconds.get(function);
    return recent == null || recent.isEmpty() ? Double.NaN
        : recent.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  /** Forgets every function but {@code functions}. */
  void retain(Set<String> functions) {
    created.keySet().retainAll(functions);
    seconds.keySet().retainAll(functions);
    restored.keySet().retainAll(functions);
  }

  void forget(String function) {
    created.remove(function);
    seconds.remove(function);
    restored.remove(function);
  }
}
