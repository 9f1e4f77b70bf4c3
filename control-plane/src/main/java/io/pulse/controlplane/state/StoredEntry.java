package io.pulse.controlplane.state;

import org.jspecify.annotations.Nullable;

/**
 * One entry of the registry's replicated state under its {@link #key()}: a function, a secret, a worker's drain or an
 * async invocation, live or a tombstone.
 * Functions and secrets share one writer and one sequence, so that a check across them (a function's secrets exist, a
 * secret in use is not deleted) sees one consistent state; between two copies of a key the higher {@code seq} wins.
 */
public sealed interface StoredEntry permits StoredFunction, StoredSecret, StoredDrain, StoredInvocation {

  /** Where the entry lives in the store and the replicated map; function names and secret keys never collide. */
  String key();

  long seq();

  boolean deleted();

  /** True when this entry should replace {@code other} (a missing other is always replaced). */
  default boolean newerThan(@Nullable StoredEntry other) {
    return other == null || seq() > other.seq();
  }
}
