package io.pulse.dataplane.expedited;

/**
 * A creation the data plane stopped waiting for at the request's deadline. Not the worker's fault (no cool-down); the
 * worker is told to delete whatever the creation left.
 */
public final class CreationCutShort extends RuntimeException {

  public CreationCutShort(String message) {
    super(message, null, false, false); // a routine outcome: no stack trace
  }
}
