package io.pulse.controlplane.secrets;

/** Update or delete of a secret that does not exist (404). */
public final class SecretNotFoundException extends RuntimeException {

  public SecretNotFoundException(String name) {
    super("secret '" + name + "' not found", null, false, false);
  }
}
