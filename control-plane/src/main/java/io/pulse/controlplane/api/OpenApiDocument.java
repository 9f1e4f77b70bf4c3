package io.pulse.controlplane.api;

import io.pulse.common.http.Answers;
import io.pulse.common.http.RouterErrors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;

/** Serves the hand-written OpenAPI document shipped in the jar, read once off the event loop. */
final class OpenApiDocument {

  static final String RESOURCE = "openapi.yaml";
  static final String PATH = "/v1/openapi.yaml";

  private final Future<Buffer> document;

  OpenApiDocument(Vertx vertx) {
    // Reading the jar is blocking; do it once, on a worker thread, and let requests wait on the future.
    this.document = vertx.executeBlocking(OpenApiDocument::load, false);
  }

  void mount(Router router) {
    RouterErrors.readable(router, PATH).handler(this::serve);
  }

  private void serve(RoutingContext ctx) {
    document
        .onSuccess(yaml -> Answers.send(ctx.response(), "application/yaml", yaml))
        .onFailure(failure -> Failures.send(ctx, failure));
  }

  static Buffer load() throws IOException {
    try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException("resource " + RESOURCE + " is missing from the classpath");
      }
      return Buffer.buffer(in.readAllBytes());
    }
  }
}
