package io.pulse.controlplane.secrets;

import org.jspecify.annotations.Nullable;

/**
 * A secret's value in plaintext, on its way into a sandbox spec: the file {@code name}, and the environment variable
 * {@code env} when the function asked for one. Lives only while a spec is built; prints no value.
 */
public record OpenedSecret(String name, byte[] value, @Nullable String env) {

  @Override
  public String toString() {
    return "OpenedSecret[name=" + name + ", env=" + env + ", value=(" + value.length + " bytes, redacted)]";
  }
}
