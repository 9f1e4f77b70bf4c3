package io.pulse.controlplane.async;

import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Test fixture: an {@link InvocationRegistry} that keeps what it is given, in memory, at once. */
final class KeptInMemory implements InvocationRegistry {

  final Map<String, Invocation> kept = new ConcurrentHashMap<>();

  @Override
  public Future<Invocation> accept(Invocation invocation) {
    kept.put(invocation.id(), invocation);
    return Future.succeededFuture(invocation);
  }

  @Override
  public Future<Invocation> change(Invocation invocation) {
    kept.put(invocation.id(), invocation);
    return Future.succeededFuture(invocation);
  }

  @Override
  public Future<Void> forget(String id) {
    kept.remove(id);
    return Future.succeededFuture();
  }

  @Override
  public Map<String, Invocation> invocations() {
    return Map.copyOf(kept);
  }
}
