package io.pulse.controlplane.security;

import io.vertx.ext.web.RoutingContext;
import org.jspecify.annotations.Nullable;

/**
 * What a handler tells the audit log about the request it serves (the function and revision it changed), through the
 * routing context's data, which the guard reads when the answer is sent.
 */
public final class AuditNotes {

  static final String FUNCTION = "pulse.audit.function";
  static final String REVISION = "pulse.audit.revision";

  private AuditNotes() {}

  public static void function(RoutingContext ctx, String name) {
    ctx.put(FUNCTION, name);
  }

  public static void revision(RoutingContext ctx, long revision) {
    ctx.put(REVISION, revision);
  }

  static @Nullable String function(RoutingContext ctx) {
    return ctx.get(FUNCTION);
  }

  static @Nullable Long revision(RoutingContext ctx) {
    return ctx.get(REVISION);
  }
}
