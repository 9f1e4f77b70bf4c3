package io.pulse.common.admin;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pulse.common.http.InvalidRequests;
import io.pulse.common.http.RouterErrors;
import io.pulse.common.net.HostPort;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

/** The admin HTTP server of a component running on its own: only the operational endpoints, errors in JSON. */
public final class AdminServer {

  private AdminServer() {}

  public static Future<HttpServer> start(Vertx vertx, HostPort bind, PrometheusRegistry registry,
      Readiness readiness) {
    Router router = Router.router(vertx);
    AdminRoutes.mount(router, registry, readiness);
    RouterErrors.mount(router);
    return InvalidRequests.answerWithJson(vertx.createHttpServer().requestHandler(router))
        .listen(bind.port(), bind.host());
  }
}
