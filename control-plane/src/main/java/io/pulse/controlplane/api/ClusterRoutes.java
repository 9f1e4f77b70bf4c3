package io.pulse.controlplane.api;

import io.pulse.common.http.RouterErrors;
import io.pulse.controlplane.api.ClusterView.InstanceView;
import io.pulse.controlplane.api.ClusterView.WorkerView;
import io.pulse.common.http.JsonErrors;
import io.pulse.controlplane.registry.FunctionRegistry;
import io.pulse.controlplane.registry.FunctionRegistry.FunctionNotFoundException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Comparator;
import java.util.List;

/** Read-only views of the running cluster: instances of a function, workers, and the control plane itself. */
final class ClusterRoutes {

  private final FunctionRegistry registry;
  private final ClusterView cluster;

  ClusterRoutes(FunctionRegistry registry, ClusterView cluster) {
    this.registry = registry;
    this.cluster = cluster;
  }

  void mount(Router router) {
    RouterErrors.readable(router, "/v1/functions/:name/instances").handler(this::instances);
    RouterErrors.readable(router, "/v1/workers").handler(this::workers);
    RouterErrors.readable(router, "/v1/cluster").handler(this::cluster);
    router.post("/v1/workers/:id/drain").handler(ctx -> setDraining(ctx, true));
    router.post("/v1/workers/:id/resume").handler(ctx -> setDraining(ctx, false));
  }

  /** 202: the leader acts on it (a drain completes when the worker's {@code instances} reach 0). */
  private void setDraining(RoutingContext ctx, boolean draining) {
    String id = ctx.pathParam("id");
    cluster.setDraining(id, draining).onComplete(answer -> {
      if (answer.failed()) {
        Failures.send(ctx, answer.cause());
      } else if (!answer.result()) {
        JsonErrors.send(ctx.response(), 404, "no worker '" + id + "' is registered with the leader");
      } else {
        Responses.json(ctx, 202, new JsonObject().put("worker", id).put("state", draining ? "draining" : "alive"));
      }
    });
  }

  private void instances(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    if (registry.get(name).isEmpty()) {
      Failures.send(ctx, new FunctionNotFoundException(name));
      return;
    }
    JsonArray instances = new JsonArray();
    cluster.instancesOf(name).stream()
        .sorted(Comparator.comparing(InstanceView::id))
        .forEach(instance -> instances.add(ClusterJson.instance(instance)));
    Responses.json(ctx, 200, new JsonObject().put("instances", instances));
  }

  private void workers(RoutingContext ctx) {
    JsonArray workers = new JsonArray();
    cluster.workers().stream()
        .sorted(Comparator.comparing(WorkerView::id))
        .forEach(worker -> workers.add(ClusterJson.worker(worker)));
    Responses.json(ctx, 200, new JsonObject().put("workers", workers));
  }

  private void cluster(RoutingContext ctx) {
    List<WorkerView> workers = cluster.workers();
    long dead = workers.stream().filter(worker -> worker.state().equals("dead")).count();
    long draining = workers.stream().filter(worker -> worker.state().equals("draining")).count();
    JsonObject body = ClusterJson.cluster(cluster.cluster())
        .put("functions", registry.snapshot().size())
        .put("workers", new JsonObject().put("alive", workers.size() - dead).put("draining", draining)
            .put("dead", dead));
    Responses.json(ctx, 200, body);
  }
}
