package io.pulse.worker.sandbox;

import org.jspecify.annotations.Nullable;

/**
 * A secret one sandbox receives: the read-only file {@code name} in its secrets directory, and the environment
 * variable {@code env} too when set. Prints no value.
 */
public record SecretFile(String name, byte[] value, @Nullable String env) {

  public SecretFile {
    // It becomes a file name: one path segment, nothing a runtime would resolve elsewhere.
    if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..") || name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("spec.secrets[].name must be a plain file name, was '" + name + "'");
    }
  }

  @Override
  public String toString() {
    return "SecretFile[name=" + name + ", env=" + env + ", value=(redacted)]";
  }
}
