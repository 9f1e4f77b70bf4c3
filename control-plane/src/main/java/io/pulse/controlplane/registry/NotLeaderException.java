package io.pulse.controlplane.registry;

import org.jspecify.annotations.Nullable;

/**
 * This replica cannot apply a write: it is not the leader, or no leader is elected (no majority). Carries where to
 * retry: the REST API answers 503 with {@code Retry-After} and the leader's address when one is known.
 */
public final class NotLeaderException extends RuntimeException {

  private final @Nullable String leaderId;
  private final @Nullable String leaderRestAddress;

  public NotLeaderException(String message, @Nullable String leaderId, @Nullable String leaderRestAddress) {
    super(message, null, false, false);
    this.leaderId = leaderId;
    this.leaderRestAddress = leaderRestAddress;
  }

  public @Nullable String leaderId() {
    return leaderId;
  }

  /** {@code host:port} of the leader's REST API, when a leader is known. */
  public @Nullable String leaderRestAddress() {
    return leaderRestAddress;
  }
}
