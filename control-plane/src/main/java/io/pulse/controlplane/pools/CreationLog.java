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

  /** Creations per second now (see the class comment); 0 when none within the window. */
  double perSecond(String function, long now) {
    Deque<Long> times = created.get(function);
    if (times == null) {
      return 0;
    }
    while (!times.isEmpty() && times.peekFirst() <= now - windowMs) {
      times.removeFirst();
    }
    if (times.isEmpty()) {
      created.remove(function);
      return 0;
    }
    long recent = times.stream().filter(t -> t > now - burstMs).count();
    return Math.max(times.size() * 1_000.0 / windowMs, recent * 1_000.0 / burstMs);
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
  }

  void forget(String function) {
    created.remove(function);
    seconds.remove(function);
  }
}
