package io.pulse.controlplane.async;

/** A change to an invocation no longer kept. */
public final class InvocationNotFoundException extends RuntimeException {
  public InvocationNotFoundException(String id) {
    super("invocation '" + id + "' not found", null, false, false);
  }
}
