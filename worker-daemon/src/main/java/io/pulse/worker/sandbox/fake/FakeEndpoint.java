package io.pulse.worker.sandbox.fake;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.DoubleSupplier;

/**
 * The HTTP face of one fake sandbox: an in-process Vert.x server on its own port that answers every request after an
 * execution time drawn from the profile (a timer, no CPU), with {@code X-Pulse-Instance} set. A request body is
 * echoed; without one the answer names the function and instance. {@code ?sleep=MS} sets the execution time;
 * {@code ?close=1} closes the connection after the answer without saying so (no {@code Connection: close}), as busybox
 * {@code httpd} does: what {@code pulse bench warm --close} measures a proxy against.
 */
final class FakeEndpoint {

  private final Vertx vertx;
  private final String instanceId;
  private final String function;
  private final DoubleSupplier executionMs;
  private HttpServer server;

  FakeEndpoint(Vertx vertx, String instanceId, String function, DoubleSupplier executionMs) {
    this.vertx = vertx;
    this.instanceId = instanceId;
    this.function = function;
    this.executionMs = executionMs;
  }

  /** Listens on a free port of {@code host}; completes with that port. */
  Future<Integer> start(String host) {
    server = vertx.createHttpServer().requestHandler(this::handle);
    return server.listen(0, host).map(HttpServer::actualPort);
  }

  Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest request) {
    long delay = Math.round(delayOf(request));
    request.body().onComplete(body -> {
      String text = body.succeeded() && body.result().length() > 0 ? body.result().toString()
          : "fake " + function + " instance=" + instanceId + "\n";
      boolean close = "1".equals(request.getParam("close"));
      Runnable answer = () -> {
        Future<Void> ended = request.response().putHeader("X-Pulse-Instance", instanceId)
            .putHeader("Content-Type", "text/plain").end(text);
        if (close) {
          ended.onComplete(ar -> request.connection().close());
        }
      };
      if (delay <= 0) {
        answer.run();
      } else {
        vertx.setTimer(delay, id -> answer.run());
      }
    });
  }

  private double delayOf(HttpServerRequest request) {
    String sleep = request.getParam("sleep");
    if (sleep != null) {
      try {
        return Math.max(0, Long.parseLong(sleep));
      } catch (NumberFormatException e) {
        // not a number: use the profile
      }
    }
    return executionMs.getAsDouble();
  }
}
