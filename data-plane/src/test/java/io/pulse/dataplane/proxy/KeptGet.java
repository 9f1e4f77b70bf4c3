package io.pulse.dataplane.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.pulse.dataplane.routing.Instance;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
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
      DefaultHttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
      request.headers().set(HttpHeaderNames.HOST, kept.authority());
      kept.connection().send(request, new InstanceConnection.Listener() {
        private int status;

        @Override
        public void head(HttpResponse head) {
          status = head.status().code();
        }

        @Override
        public void content(ByteBuf content, boolean last) {
          if (!last) {
            return;
          }
          boolean ok = status == 200;
          release.accept(kept, ok);
          if (ok) {
            done.complete(kept);
          } else {
            done.completeExceptionally(new AssertionError("status " + status));
          }
        }

        @Override
        public void failed(Throwable cause) {
          release.accept(kept, false);
          done.completeExceptionally(cause);
        }

        @Override
        public void writable() {}
      });
      kept.connection().write(LastHttpContent.EMPTY_LAST_CONTENT);
    });
    return done;
  }
}
