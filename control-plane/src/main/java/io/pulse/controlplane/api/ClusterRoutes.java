package io.pulse.controlplane.api;

import io.pulse.controlplane.api.ClusterView.InstanceView;
import io.pulse.controlplane.api.ClusterView.WorkerView;
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
    router.get("/v1/functions/:name/instances").handler(this::instances);
    router.get("/v1/workers").handler(this::workers);
    router.get("/v1/cluster").handler(this::cluster);
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
    long alive = workers.stream().filter(worker -> worker.state().equals("alive")).count();
    JsonObject body = ClusterJson.cluster(cluster.cluster())
        .put("functions", registry.snapshot().size())
        .put("workers", new JsonObject().put("alive", alive).put("dead", workers.size() - alive));
    Responses.json(ctx, 200, body);
  }
}
