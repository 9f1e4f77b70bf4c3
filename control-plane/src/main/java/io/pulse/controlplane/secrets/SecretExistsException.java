package io.pulse.controlplane.secrets;

/** Create of a secret whose name is taken (409). */
public final class SecretExistsException extends RuntimeException {

  public SecretExistsException(String name) {
    super("secret '" + name + "' already exists; update it with PUT /v1/secrets/" + name, null, false, false);
  }
}
