package io.pulse.dataplane.proxy;

import org.jspecify.annotations.Nullable;

/**
 * How one exchange ended: the status the client got ({@link Forwarder#CLIENT_CLOSED} when it left first) and, when the
 * gateway answered 502 or 504 itself, the failure behind the ref the client was given.
 */
public record Exchanged(int status, @Nullable Failure failure) {

  /**
   * @param stage {@code forward} (the instance refused or dropped the exchange) or {@code timeout}
   * @param detail what happened, naming the instance and its address: for the logs and the status, never the caller
   */
  public record Failure(String ref, String stage, String detail) {}
}
