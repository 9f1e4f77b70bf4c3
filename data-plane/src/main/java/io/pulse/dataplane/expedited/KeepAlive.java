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
    if (closing || current == null || current.revision() != revision || !current.policy().expedited()) {
      return 0;
    }
    return current.emergencyKeepAliveMs();
  }

  /** Whether an instance idle now may stay after a route change ({@code current}: the function's route now). */
  static boolean stays(@Nullable Route current, long revision, boolean closing) {
    return idleMillis(current, revision, closing) > 0;
  }
}
