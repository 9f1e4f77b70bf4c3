package io.pulse.controlplane.api;

import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.registry.FunctionRegistry;
import io.pulse.controlplane.registry.FunctionSpec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Completes every write on another thread, later, as a replicated registry does once its write is durable; the API
 * must answer from whatever thread completes the future.
 */
final class ForeignThreadRegistry implements FunctionRegistry {

  private final FunctionRegistry delegate;
  private final Executor executor;

  ForeignThreadRegistry(FunctionRegistry delegate, Executor executor) {
    this.delegate = delegate;
    this.executor = executor;
  }

  @Override
  public Future<FunctionRecord> create(FunctionSpec spec) {
    return later(() -> delegate.create(spec));
  }

  @Override
  public Future<FunctionRecord> update(FunctionSpec spec) {
    return later(() -> delegate.update(spec));
  }

  @Override
  public Future<FunctionRecord> delete(String name) {
    return later(() -> delegate.delete(name));
  }

  @Override
  public Optional<FunctionRecord> get(String name) {
    return delegate.get(name);
  }

  @Override
  public Map<String, FunctionRecord> snapshot() {
    return delegate.snapshot();
  }

  @Override
  public void subscribe(Consumer<FunctionEvent> listener) {
    delegate.subscribe(listener);
  }

  private Future<FunctionRecord> later(Supplier<Future<FunctionRecord>> write) {
    Promise<FunctionRecord> promise = Promise.promise();
    executor.execute(() -> write.get().onComplete(promise));
    return promise.future();
  }
}
