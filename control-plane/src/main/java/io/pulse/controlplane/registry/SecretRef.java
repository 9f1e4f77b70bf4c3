package io.pulse.controlplane.registry;

import org.jspecify.annotations.Nullable;

/**
 * A secret a function receives: always as the read-only file {@code name} in its secrets directory, and also as the
 * environment variable {@code env} when one is given.
 */
public record SecretRef(String name, @Nullable String env) {

  public static SecretRef file(String name) {
    return new SecretRef(name, null);
  }

  /** Whether {@code name} may name a secret: a DNS-1123 label, as function names (it becomes a file name). */
  public static boolean validName(String name) {
    return FunctionSpec.validName(name);
  }

  /** What a secret name must be, for error messages. */
  public static String nameRule(String field) {
    return field + " must be a secret name: a DNS-1123 label (lowercase letters, digits and '-', starting and ending"
        + " with a letter or digit, at most " + FunctionSpec.MAX_NAME_LENGTH + " characters)";
  }
}
