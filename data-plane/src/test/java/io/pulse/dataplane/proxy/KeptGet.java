package io.pulse.dataplane.proxy;

import io.pulse.dataplane.routing.Instance;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/** One GET on a kept-alive connection, for the pool's tests: acquire, exchange, release. */
final class KeptGet {

  private KeptGet() {}

  /**
   * Call on the pool's event loop. Completes with the connection used once the answer (a 200) has been read and the
   * connection released, reusable; fails otherwise.
   */
  static CompletableFuture<KeptConnections.Kept> get(
      BiConsumer<Instance, Handler<AsyncResult<KeptConnections.Kept>>> acquire,
      BiConsumer<KeptConnections.Kept, Boolean> release, Instance instance) {
    CompletableFuture<KeptConnections.Kept> done = new CompletableFuture<>();
    acquire.accept(instance, acquired -> {
      if (acquired.failed()) {
        done.completeExceptionally(acquired.cause());
        return;
      }
      KeptConnections.Kept kept = acquired.result();
      kept.connection()
          .request(new RequestOptions().setMethod(HttpMethod.GET).setHost(instance.host()).setPort(instance.port())
              .setURI("/"))
          .compose(request -> request.send().compose(response -> response.body().map(b -> response.statusCode())))
          .onComplete(ar -> {
            boolean ok = ar.succeeded() && ar.result() == 200;
            release.accept(kept, ok);
            if (ok) {
              done.complete(kept);
            } else {
              done.completeExceptionally(ar.failed() ? ar.cause() : new AssertionError("status " + ar.result()));
            }
          });
    });
    return done;
  }
}
