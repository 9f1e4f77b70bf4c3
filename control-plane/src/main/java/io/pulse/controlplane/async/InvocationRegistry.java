package io.pulse.controlplane.async;

import io.vertx.core.Future;
import java.util.Map;

/**
 * Where async invocations are kept: the function registry's own writer and store, so that an invocation is durable on
 * a majority before it is acknowledged, exactly as registrations are. Writes succeed only on the leader (else they
 * fail with {@code NotLeaderException}); reads serve a snapshot and never block.
 */
public interface InvocationRegistry {

  /** Stores a new invocation; fails with {@link InvocationExistsException} when the id is taken. */
  Future<Invocation> accept(Invocation invocation);

  /** Replaces a kept invocation; fails with {@link InvocationNotFoundException} when it was forgotten. */
  Future<Invocation> change(Invocation invocation);

  /** Drops a finished invocation whose result has been kept long enough. */
  Future<Void> forget(String id);

  /** Every kept invocation by id; an immutable snapshot. */
  Map<String, Invocation> invocations();
}
