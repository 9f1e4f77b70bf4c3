package io.pulse.controlplane.api;

import io.pulse.controlplane.registry.FunctionRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/** The REST API (/v1/...). PLACEHOLDER: being written; the signature is the contract. */
public final class RestApi {

  private RestApi() {}

  /** A router serving /v1/functions, /v1/workers and /v1/cluster over the given registry and cluster view. */
  public static Router router(Vertx vertx, FunctionRegistry registry, ClusterView cluster) {
    return Router.router(vertx);
  }
}
