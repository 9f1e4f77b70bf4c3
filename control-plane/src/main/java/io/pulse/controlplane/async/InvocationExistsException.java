package io.pulse.controlplane.async;

/** An accepted invocation's id is taken (ids are random: this is a bug or a replay). */
public final class InvocationExistsException extends RuntimeException {
  public InvocationExistsException(String id) {
    super("invocation '" + id + "' exists", null, false, false);
  }
}
