package io.pulse.controlplane.secrets;

/** A secret request the platform refuses (400); {@link #field()} names the input at fault. */
public final class InvalidSecretException extends IllegalArgumentException {

  private final String field;

  public InvalidSecretException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
