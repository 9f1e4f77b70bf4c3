package io.pulse.dataplane;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test instance that counts the requests it is serving at once (and the most it ever served at once) and, while
 * holding, keeps every request open until {@link #releaseAll()}. Lets tests observe concurrency without timing.
 */
final class HoldingBackend implements AutoCloseable {

  private final String instanceId;
  private final HttpServer server;
  private final AtomicInteger current = new AtomicInteger();
  private final AtomicInteger max = new AtomicInteger();
  private final AtomicInteger served = new AtomicInteger();
  private final List<Runnable> held = new ArrayList<>(); // guarded by this
  private boolean holding = true; // guarded by this

  private HoldingBackend(Vertx vertx, String instanceId) {
    this.instanceId = instanceId;
    this.server = vertx.createHttpServer().requestHandler(this::handle);
  }

  static HoldingBackend start(Vertx vertx, String instanceId) throws Exception {
    HoldingBackend backend = new HoldingBackend(vertx, instanceId);
    backend.server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return backend;
  }

  int port() {
    return server.actualPort();
  }

  String id() {
    return instanceId;
  }

  int current() {
    return current.get();
  }

  int max() {
    return max.get();
  }

  int served() {
    return served.get();
  }

  /** Answers every held request and stops holding new ones. */
  void releaseAll() {
    List<Runnable> toAnswer;
    synchronized (this) {
      holding = false;
      toAnswer = List.copyOf(held);
      held.clear();
    }
    toAnswer.forEach(Runnable::run);
  }

  private void handle(HttpServerRequest request) {
    int now = current.incrementAndGet();
    max.accumulateAndGet(now, Math::max);
    Context context = Vertx.currentContext();
    request.body().onComplete(ar -> {
      synchronized (this) {
        if (holding) {
          held.add(() -> context.runOnContext(v -> answer(request)));
          return;
        }
      }
      answer(request);
    });
  }

  private void answer(HttpServerRequest request) {
    current.decrementAndGet();
    served.incrementAndGet();
    request.response().putHeader("X-Pulse-Instance", instanceId).end("ok from " + instanceId);
  }

  @Override
  public void close() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
