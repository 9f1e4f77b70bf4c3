package io.pulse.dataplane.expedited;

import io.pulse.dataplane.routing.Route;
import org.jspecify.annotations.Nullable;

/**
 * How long an Emergency Instance stays idle for reuse once its request is over (pure). It stays only while it can
 * still serve a request: its function is routed, at the instance's revision, under a policy with the expedited track,
 * and the data plane is not closing. Kept otherwise, it would hold memory (accounted as held, never busy) until its
 * timer ran out, for requests that can never take it.
 */
final class KeepAlive {

  private KeepAlive() {}

  /** Milliseconds to keep the instance idle; 0: delete it now. */
  static int idleMillis(@Nullable Route current, long revision, boolean closing) {
    return current != null && canServe(current, revision, closing) ? current.emergencyKeepAliveMs() : 0;
  }

  /** Whether an instance of {@code revision} can still serve a request of the function whose route is now this. */
  static boolean canServe(@Nullable Route current, long revision, boolean closing) {
    return !closing && current != null && current.revision() == revision && current.policy().expedited();
  }

  /**
   * How many of a function's {@code idle} instances to delete now that {@code freeRegularSlots} of its Regular slots
   * are free: a request takes a free Regular slot first, so each free slot makes one idle instance surplus; the
   * keep-alive then only covers what Regular cannot.
   */
  static int surplus(int idle, int freeRegularSlots) {
    return Math.min(idle, Math.max(0, freeRegularSlots));
  }

  /** Whether an instance idle now may stay after a route change ({@code current}: the function's route now). */
  static boolean stays(@Nullable Route current, long revision, boolean closing) {
    return idleMillis(current, revision, closing) > 0;
  }
}
