package io.pulse.controlplane.api;

import io.pulse.common.time.Timers;
import io.pulse.controlplane.async.InvocationRegistry;
import io.pulse.controlplane.registry.FunctionRegistry;
import io.pulse.controlplane.secrets.Secrets;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.time.Clock;
import org.jspecify.annotations.Nullable;

/**
 * The control plane's REST API under /v1 (documented in openapi.yaml, served at /v1/openapi.yaml). Every error, the
 * router's own 404 and 405 included, is answered in the {@code JsonErrors} shape; handlers never block.
 */
public final class RestApi {

  private RestApi() {}

  /**
   * A router serving /v1/functions, /v1/secrets, /v1/invocations, /v1/workers, /v1/cluster and /v1/openapi.yaml over the given registry and
   * cluster view. Paths are absolute: use it as the server's request handler, or mount it with
   * {@code root.route("/*").subRouter(...)} after the root's own routes (admin). Mount it last: it answers every
   * path it does not serve with a JSON 404 (and a known path with the wrong method with a JSON 405).
   */
  public static Router router(Vertx vertx, FunctionRegistry registry, ClusterView cluster) {
    return router(vertx, registry, cluster, null);
  }

  /** As {@link #router(Vertx, FunctionRegistry, ClusterView, Secrets)}, without async invocations (501). */
  public static Router router(Vertx vertx, FunctionRegistry registry, ClusterView cluster,
      @Nullable Secrets secrets) {
    return router(vertx, registry, cluster, secrets, null);
  }

  /**
   * As {@link #router(Vertx, FunctionRegistry, ClusterView)}, with /v1/secrets over {@code secrets} and
   * /v1/invocations over {@code invocations} (null: 501).
   */
  public static Router router(Vertx vertx, FunctionRegistry registry, ClusterView cluster,
      @Nullable Secrets secrets, @Nullable InvocationRegistry invocations) {
    return router(vertx, registry, cluster, secrets, invocations, Clock.systemUTC());
  }

  /** As above, on {@code clock} (the time accounting summaries are taken at). */
  public static Router router(Vertx vertx, FunctionRegistry registry, ClusterView cluster,
      @Nullable Secrets secrets, @Nullable InvocationRegistry invocations, Clock clock) {
    Router router = Router.router(vertx);
    new FunctionRoutes(registry, cluster).mount(router);
    new LogRoutes(registry, cluster, Timers.of(vertx)).mount(router);
    new SecretRoutes(secrets).mount(router);
    new InvocationRoutes(invocations).mount(router);
    new ClusterRoutes(registry, cluster).mount(router);
    new AccountingRoutes(cluster, clock).mount(router);
    new OpenApiDocument(vertx).mount(router);
    Failures.mount(router);
    return router;
  }
}
