package io.pulse.controlplane.state;

import io.pulse.controlplane.async.Invocation;
import org.jspecify.annotations.Nullable;

/**
 * What the registry keeps per async invocation: the invocation, or a tombstone ({@code invocation == null}) once its
 * result was kept long enough. Kept under {@code invocation/ID}, which no function name can be (they have no '/').
 */
public record StoredInvocation(String id, long seq, @Nullable Invocation invocation) implements StoredEntry {

  static final String KEY_PREFIX = "invocation/";

  public StoredInvocation {
    if (id.isEmpty()) {
      throw new IllegalArgumentException("id must not be empty");
    }
    if (seq <= 0) {
      throw new IllegalArgumentException("seq must be > 0, was " + seq);
    }
    if (invocation != null && !invocation.id().equals(id)) {
      throw new IllegalArgumentException("invocation id '" + invocation.id() + "' differs from entry id '" + id
          + "'");
    }
  }

  public static String keyOf(String id) {
    return KEY_PREFIX + id;
  }

  @Override
  public String key() {
    return keyOf(id);
  }

  @Override
  public boolean deleted() {
    return invocation == null;
  }
}
