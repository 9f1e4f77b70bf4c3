package io.pulse.controlplane.api;

import io.pulse.common.http.JsonErrors;
import io.pulse.common.http.RouterErrors;
import io.pulse.controlplane.registry.FunctionRegistry.FunctionExistsException;
import io.pulse.controlplane.registry.FunctionRegistry.FunctionNotFoundException;
import io.pulse.controlplane.registry.InvalidFunctionSpecException;
import io.pulse.controlplane.registry.NotLeaderException;
import io.pulse.controlplane.secrets.InvalidSecretException;
import io.pulse.controlplane.secrets.SecretExistsException;
import io.pulse.controlplane.secrets.SecretInUseException;
import io.pulse.controlplane.secrets.SecretNotFoundException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.jspecify.annotations.Nullable;

/**
 * Turns every failure into the one JSON error shape: known exceptions into their status, anything else into a logged
 * 500. What the router itself refuses (no route, wrong method) is answered by {@link RouterErrors}.
 */
final class Failures {

  private Failures() {}

  static void mount(Router router) {
    RouterErrors.mount(router);
    // A handler that threw lands here; known exceptions keep their own status.
    router.errorHandler(500, ctx -> send(ctx, ctx.failure()));
  }

  static void send(RoutingContext ctx, @Nullable Throwable failure) {
    switch (failure) {
      case ApiException e -> JsonErrors.send(ctx.response(), e.status(), e.getMessage(), e.field());
      case InvalidFunctionSpecException e -> JsonErrors.send(ctx.response(), 400, e.getMessage(), e.field());
      case FunctionExistsException e -> JsonErrors.send(ctx.response(), 409, e.getMessage());
      case FunctionNotFoundException e -> JsonErrors.send(ctx.response(), 404, e.getMessage());
      case NotLeaderException e -> notLeader(ctx, e);
      case InvalidSecretException e -> JsonErrors.send(ctx.response(), 400, e.getMessage(), e.field());
      case SecretExistsException e -> JsonErrors.send(ctx.response(), 409, e.getMessage());
      case SecretInUseException e -> JsonErrors.send(ctx.response(), 409, e.getMessage());
      case SecretNotFoundException e -> JsonErrors.send(ctx.response(), 404, e.getMessage());
      case null -> RouterErrors.unexpected(ctx, null);
      default -> RouterErrors.unexpected(ctx, failure);
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
}
