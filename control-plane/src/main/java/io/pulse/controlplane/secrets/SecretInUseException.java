package io.pulse.controlplane.secrets;

import java.util.List;

/** Delete of a secret that live functions reference (409); {@link #functions()} names them. */
public final class SecretInUseException extends RuntimeException {

  private final List<String> functions;

  public SecretInUseException(String name, List<String> functions) {
    super("secret '" + name + "' is used by " + (functions.size() == 1 ? "function " : "functions ")
        + String.join(", ", functions) + "; remove it from their specs first", null, false, false);
    this.functions = List.copyOf(functions);
  }

  public List<String> functions() {
    return functions;
  }
}
