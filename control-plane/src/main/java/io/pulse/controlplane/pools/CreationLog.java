package io.pulse.controlplane.pools;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The creations the leader saw per function on both tracks (its own Regular Instances, the data planes' reported
 * Emergency Instances) and how long they took. No clock: every call carries {@code now}. Confined to the control
 * plane's context.
 *
 * <p>The rate is the higher of the long window's mean (a function created every few minutes keeps a member) and the
 * short window's (a burst raises the pools within seconds, not minutes).
 *
 * <p>A new leader's log starts empty; {@link #restore} carries a previous term's rate over as if that many creations
 * had come evenly over the window before the failover, so the rate ages out as the lost log's creations would have.
 */
final class CreationLog {

  /** Timestamps kept per function at most: bounds memory under a creation storm (the rate saturates anyway). */
  static final int MAX_KEPT = 4_096;
  /** Creation times averaged (the most recent ones). */
  static final int TIMED = 16;

  private final long windowMs;
  private final long burstMs;
  private final Map<String, Deque<Long>> created = new HashMap<>();
  private final Map<String, Deque<Double>> seconds = new HashMap<>();
  private final Map<String, Restored> restored = new HashMap<>();

  /** {@code perSecond} creations per second, evenly over the window that ended {@code at}. */
  private record Restored(double perSecond, long at) {

    /** How many of them fall within the {@code spanMs} up to {@code now}. */
    double within(long spanMs, long windowMs, long now) {
      long from = Math.max(now - spanMs, at - windowMs);
      return perSecond * Math.max(0, Math.min(now, at) - from) / 1_000.0;
    }
  }

  CreationLog(long windowMs, long burstMs) {
    if (burstMs <= 0 || windowMs < burstMs) {
      throw new IllegalArgumentException("need 0 < burstMs <= windowMs, was " + burstMs + " and " + windowMs);
    }
    this.windowMs = windowMs;
    this.burstMs = burstMs;
  }

  void created(String function, long now) {
    Deque<Long> times = created.computeIfAbsent(function, f -> new ArrayDeque<>());
    times.addLast(now);
    if (times.size() > MAX_KEPT) {
      times.removeFirst();
    }
  }

  void ready(String function, double creationSeconds) {
    Deque<Double> recent = seconds.computeIfAbsent(function, f -> new ArrayDeque<>());
    recent.addLast(creationSeconds);
    if (recent.size() > TIMED) {
      recent.removeFirst();
    }
  }

  /** A previous term's rate of {@code function}, carried over at {@code now} (see the class comment). */
  void restore(String function, double perSecond, long now) {
    if (perSecond > 0) {
      restored.put(function, new Restored(perSecond, now));
    }
  }

  /** Creations per second now (see the class comment); 0 when none within the window. */
  double perSecond(String function, long now) {
    double inWindow = 0;
    double inBurst = 0;
    Deque<Long> times = created.get(function);
    if (times != null) {
      while (!times.isEmpty() && times.peekFirst() <= now - windowMs) {
        times.removeFirst();
      }
      if (times.isEmpty()) {
        created.remove(function);
      }
      inWindow = times.size();
      inBurst = times.stream().filter(t -> t > now - burstMs).count();
    }
    Restored carried = restored.get(function);
    if (carried != null) {
      if (carried.within(windowMs, windowMs, now) <= 0) {
        restored.remove(function);
      } else {
        inWindow += carried.within(windowMs, windowMs, now);
        inBurst += carried.within(burstMs, windowMs, now);
      }
    }
    return Math.max(inWindow * 1_000.0 / windowMs, inBurst * 1_000.0 / burstMs);
  }

  /** The mean of the recent creation times; NaN when none is known. */
  double creationSeconds(String function) {
    Deque<Double> recent = seconds.get(function);
    return recent == null || recent.isEmpty() ? Double.NaN
        : recent.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  /** Forgets every function but {@code functions}. */
  void retain(java.util.Set<String> functions) {
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
