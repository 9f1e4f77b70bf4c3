package io.pulse.controlplane.api;

import io.pulse.common.http.RouterErrors;
import io.pulse.controlplane.async.Invocation;
import io.pulse.controlplane.async.InvocationRegistry;
import io.pulse.controlplane.async.InvocationView;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.jspecify.annotations.Nullable;

/** /v1/invocations/{id}: where an async invocation stands, and its result once it has one. */
final class InvocationRoutes {

  private final @Nullable InvocationRegistry invocations;

  /** {@code invocations} null: this control plane keeps none (an in-memory registry); every call is a 501. */
  InvocationRoutes(@Nullable InvocationRegistry invocations) {
    this.invocations = invocations;
  }

  void mount(Router router) {
    RouterErrors.readable(router, "/v1/invocations/:id").handler(this::get);
  }

  private void get(RoutingContext ctx) {
    if (invocations == null) {
      Failures.send(ctx, new ApiException(501, "this control plane keeps no async invocations (it runs over an"
          + " in-memory registry)"));
      return;
    }
    String id = ctx.pathParam("id");
    Invocation invocation = invocations.invocations().get(id);
    if (invocation == null) {
      Failures.send(ctx, new ApiException(404, "invocation '" + id + "' not found (unknown, or its result was"
          + " kept long enough)"));
      return;
    }
    Responses.json(ctx, 200, InvocationView.toJson(invocation));
  }
}
