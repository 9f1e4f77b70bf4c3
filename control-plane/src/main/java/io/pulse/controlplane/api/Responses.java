package io.pulse.controlplane.api;

import io.pulse.common.http.Answers;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Successful JSON answers. */
final class Responses {

  private Responses() {}

  static void json(RoutingContext ctx, int status, JsonObject body) {
    Answers.json(ctx.response(), status, body); // with its length, which HEAD then reports too
  }
}
