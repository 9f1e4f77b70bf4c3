package io.pulse.controlplane.registry;

/**
 * A function spec the platform refuses. {@link #field()} is the JSON path of the offending input ({@code name},
 * {@code scaling.maxScale}, {@code env.FOO}, {@code command[2]}); the message names it and the bad value.
 */
public final class InvalidFunctionSpecException extends IllegalArgumentException {

  private final String field;

  public InvalidFunctionSpecException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
