package io.pulse.dataplane;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A test instance that notes every request it receives, whole ({@code METHOD uri body}), before answering it: once
 * an answer arrived, its request is in {@link #seen()}, so a test can tell exactly which requests got through.
 */
final class RecordingBackend implements AutoCloseable {

  /** A request as the instance saw it. */
  record Seen(String method, String uri, String body, String forwardedHost) {
    @Override
    public String toString() {
      return method + " " + uri + (body.isEmpty() ? "" : " " + body);
    }
  }

  private final HttpServer server;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  private RecordingBackend(Vertx vertx) {
    server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      seen.add(new Seen(request.method().name(), request.uri(), body.toString(),
          String.valueOf(request.getHeader("X-Forwarded-Host"))));
      request.response().end("ok " + request.uri());
    }));
  }

  static RecordingBackend start(Vertx vertx) throws Exception {
    RecordingBackend backend = new RecordingBackend(vertx);
    backend.server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return backend;
  }

  int port() {
    return server.actualPort();
  }

  List<Seen> seen() {
    return List.copyOf(seen);
  }

  List<String> seenLines() {
    return seen.stream().map(Seen::toString).toList();
  }

  void forget() {
    seen.clear();
  }

  @Override
  public void close() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
