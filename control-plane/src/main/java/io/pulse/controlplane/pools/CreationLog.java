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
 * <p>A worker's rate is the higher of the window's mean (the window is the function's keep-alive: a pool is not held
 * through an idle gap longer than an instance would be) and the short burst window's (a burst raises the pools within
 * seconds). A worker with no creation within the window has no rate: its pool goes to 0.
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

  private final long burstMs;
  private final Map<String, Deque<Landed>> created = new HashMap<>();
  private final Map<String, Deque<Double>> seconds = new HashMap<>();
  /** Function to worker to the rate carried over. */
  private final Map<String, Map<String, Restored>> restored = new HashMap<>();

  CreationLog(long burstMs) {
    if (burstMs <= 0) {
      throw new IllegalArgumentException("need burstMs > 0, was " + burstMs);
    }
    this.burstMs = burstMs;
  }

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
   * Creations per second now on each worker that had one within {@code windowMs} (see the class comment); forgets what
   * is older. Empty when the function was idle that long.
   */
  Map<String, Double> perSecond(String function, long windowMs, long now) {
    long burst = Math.min(burstMs, windowMs);
    Map<String, double[]> counts = new HashMap<>(); // worker -> {in window, in burst}
    Deque<Landed> landed = created.get(function);
    if (landed != null) {
      while (!landed.isEmpty() && landed.peekFirst().atMs() <= now - windowMs) {
        landed.removeFirst();
      }
      if (landed.isEmpty()) {
        created.remove(function);
      }
      for (Landed one : landed) {
        double[] count = counts.computeIfAbsent(one.workerId(), w -> new double[2]);
        count[0]++;
        count[1] += one.atMs() > now - burst ? 1 : 0;
      }
    }
    Map<String, Restored> carried = restored.get(function);
    if (carried != null) {
      carried.values().removeIf(r -> r.within(windowMs, windowMs, now) <= 0);
      carried.forEach((worker, r) -> {
        double[] count = counts.computeIfAbsent(worker, w -> new double[2]);
        count[0] += r.within(windowMs, windowMs, now);
        count[1] += r.within(burst, windowMs, now);
      });
      if (carried.isEmpty()) {
        restored.remove(function);
      }
    }
    Map<String, Double> rates = new HashMap<>();
    counts.forEach((worker, count) ->
        rates.put(worker, Math.max(count[0] * 1_000.0 / windowMs, count[1] * 1_000.0 / burst)));
    return rates;
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
