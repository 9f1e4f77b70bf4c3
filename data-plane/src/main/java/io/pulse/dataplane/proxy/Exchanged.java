package io.pulse.dataplane.proxy;

import org.jspecify.annotations.Nullable;

/**
 * How one exchange ended: the status the client got ({@link Forwarder#CLIENT_CLOSED} when it left first) and, when the
 * gateway answered 502 or 504 itself, the failure behind the ref the client was given. {@code refused}: the instance
 * could not be reached and nothing of the request went out; the client has not been answered ({@code status} is 0)
 * and the caller sends the request to another instance (see {@link ForwardTarget#retried()}); {@code failure} says
 * which instance refused, under a ref the request's later answer may carry.
 */
public record Exchanged(int status, @Nullable Failure failure, boolean refused) {

  public Exchanged(int status, @Nullable Failure failure) {
    this(status, failure, false);
  }

  /**
   * @param stage {@code forward} (the instance refused or dropped the exchange) or {@code timeout}
   * @param detail what happened, naming the instance and its address: for the logs and the status, never the caller
   */
  public record Failure(String ref, String stage, String detail) {}
}
