package io.pulse.controlplane.async;

/** Why an async invocation was not accepted; the gRPC adapter turns the kind into a status code. */
public final class AsyncRefusal extends RuntimeException {

  public enum Kind { UNKNOWN_FUNCTION, TOO_LARGE, OVERLOADED, INVALID }

  private final Kind kind;

  public AsyncRefusal(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
