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
}
