package io.pulse.controlplane.api;

import io.pulse.common.http.JsonErrors;
import io.pulse.controlplane.registry.FunctionRegistry.FunctionExistsException;
import io.pulse.controlplane.registry.FunctionRegistry.FunctionNotFoundException;
import io.pulse.controlplane.registry.InvalidFunctionSpecException;
import io.pulse.controlplane.registry.NotLeaderException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into the one JSON error shape: known exceptions into their status, anything else into a logged
 * 500. Also answers what the router itself refuses (no route, wrong method) in the same shape.
 */
final class Failures {

  private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

  private Failures() {}

  static void mount(Router router) {
    router.errorHandler(404, ctx -> JsonErrors.send(ctx.response(), 404,
        "no route for " + ctx.request().method() + " " + ctx.request().path()));
    router.errorHandler(405, ctx -> JsonErrors.send(ctx.response(), 405,
        "method " + ctx.request().method() + " is not allowed on " + ctx.request().path()));
    // A handler that threw lands here; known exceptions keep their own status.
    router.errorHandler(500, ctx -> send(ctx, ctx.failure()));
    // Statuses vert.x-web itself may choose (a malformed request line, for instance): keep them, change the shape.
    for (int status : new int[] {400, 413, 415}) {
      router.errorHandler(status, ctx -> JsonErrors.send(ctx.response(), status,
          ctx.failure() != null && ctx.failure().getMessage() != null
              ? ctx.failure().getMessage()
              : "request refused (" + status + ")"));
    }
  }

  static void send(RoutingContext ctx, @Nullable Throwable failure) {
    switch (failure) {
      case ApiException e -> JsonErrors.send(ctx.response(), e.status(), e.getMessage(), e.field());
      case InvalidFunctionSpecException e -> JsonErrors.send(ctx.response(), 400, e.getMessage(), e.field());
      case FunctionExistsException e -> JsonErrors.send(ctx.response(), 409, e.getMessage());
      case FunctionNotFoundException e -> JsonErrors.send(ctx.response(), 404, e.getMessage());
      case NotLeaderException e -> notLeader(ctx, e);
      case null -> unexpected(ctx, new IllegalStateException("request failed without a cause"));
      default -> unexpected(ctx, failure);
    }
  }

  /** 503 with a retry hint: Retry-After, and the leader's REST address (header and body) when one is known. */
  private static void notLeader(RoutingContext ctx, NotLeaderException e) {
    ctx.response().putHeader("Retry-After", "1");
    if (e.leaderRestAddress() != null) {
      // Every replica serves REST alike: the leader speaks the scheme this request came in with.
      String scheme = ctx.request().isSSL() ? "https://" : "http://";
      ctx.response().putHeader("Pulse-Leader", scheme + e.leaderRestAddress());
    }
    JsonErrors.send(ctx.response(), 503, e.getMessage());
  }

  private static void unexpected(RoutingContext ctx, Throwable failure) {
    LOG.atError()
        .setCause(failure)
        .addKeyValue("method", ctx.request().method())
        .addKeyValue("path", ctx.request().path())
        .log("request failed unexpectedly");
    String detail = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    JsonErrors.send(ctx.response(), 500, "internal error: " + detail);
  }
}
