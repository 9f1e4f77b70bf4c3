package io.pulse.dataplane.coldstart;

/** Why a request that waited for a slot did not get one. The message is meant for the client. */
public final class ColdStartException extends RuntimeException {

  /** The reasons a wait ends without a slot. */
  public enum Reason {
    /** No slot within the queue deadline. */
    DEADLINE,
    /** The function left the routing table while the request waited. */
    FUNCTION_REMOVED,
    /** The client went away while waiting. */
    CLIENT_GONE,
    /** The gateway is shutting down. */
    CLOSING
  }

  private final Reason reason;

  public ColdStartException(Reason reason, String message) {
    super(message, null, false, false); // a routine outcome, not a bug: no stack trace
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
