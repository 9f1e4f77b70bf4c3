package io.pulse.controlplane.state;

import io.pulse.controlplane.secrets.SecretRecord;
import org.jspecify.annotations.Nullable;

/**
 * What the registry keeps per secret name: its record (the value sealed), or a tombstone ({@code secret == null})
 * after a delete. Kept under {@code secret/NAME}, which no function name can be (they have no '/').
 */
public record StoredSecret(String name, long seq, @Nullable SecretRecord secret) implements StoredEntry {

  static final String KEY_PREFIX = "secret/";

  public StoredSecret {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name must not be empty");
    }
    if (seq <= 0) {
      throw new IllegalArgumentException("seq must be > 0, was " + seq);
    }
    if (secret != null && !secret.name().equals(name)) {
      throw new IllegalArgumentException("secret name '" + secret.name() + "' differs from entry name '" + name
          + "'");
    }
  }

  public static String keyOf(String name) {
    return KEY_PREFIX + name;
  }

  @Override
  public String key() {
    return keyOf(name);
  }

  @Override
  public boolean deleted() {
    return secret == null;
  }
}
