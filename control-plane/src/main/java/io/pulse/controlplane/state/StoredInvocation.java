package io.pulse.controlplane.state;

import io.pulse.controlplane.async.Invocation;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What the registry keeps per async invocation: the invocation, or a tombstone ({@code invocation == null}) once its
 * result was kept long enough. Kept under {@code invocation/ID}, which no function name can be (they have no '/').
 * Both are purged once older than the {@link InvocationHorizon}.
 *
 * @param forgottenAt when a tombstone was written (the leader's clock); null for a live entry
 */
public record StoredInvocation(String id, long seq, @Nullable Invocation invocation, @Nullable Instant forgottenAt)
    implements StoredEntry {

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
    if ((invocation == null) == (forgottenAt == null)) {
      throw new IllegalArgumentException("entry '" + id + "' needs either an invocation or forgottenAt");
    }
  }

  public static StoredInvocation live(long seq, Invocation invocation) {
    return new StoredInvocation(invocation.id(), seq, invocation, null);
  }

  public static StoredInvocation tombstone(String id, long seq, Instant forgottenAt) {
    return new StoredInvocation(id, seq, null, forgottenAt);
  }

  /**
   * The last moment the entry says anything happened to it: a tombstone's forgetting, else the latest of the
   * invocation's acceptance, its (next) attempt's earliest start and its end.
   */
  public Instant lastActivity() {
    if (invocation == null) {
      return java.util.Objects.requireNonNull(forgottenAt);
    }
    Instant last = invocation.acceptedAt().isAfter(invocation.notBefore()) ? invocation.acceptedAt()
        : invocation.notBefore();
    Instant finished = invocation.finishedAt();
    return finished != null && finished.isAfter(last) ? finished : last;
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
