package io.pulse.controlplane.api;

import io.pulse.common.http.RouterErrors;
import io.pulse.controlplane.api.json.FunctionJson;
import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.registry.FunctionRegistry;
import io.pulse.controlplane.api.json.FunctionSpecParser;
import io.pulse.controlplane.security.AuditNotes;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Comparator;

/**
 * CRUD on /v1/functions. Writes go through the registry's futures, and answer once the data planes route the change
 * (so that invoking right after a deploy does not 404); nothing here blocks.
 */
final class FunctionRoutes {

  private final FunctionRegistry registry;
  private final ClusterView cluster;

  FunctionRoutes(FunctionRegistry registry, ClusterView cluster) {
    this.registry = registry;
    this.cluster = cluster;
  }

  void mount(Router router) {
    router.post("/v1/functions").handler(this::create);
    RouterErrors.readable(router, "/v1/functions").handler(this::list);
    RouterErrors.readable(router, "/v1/functions/:name").handler(this::get);
    router.put("/v1/functions/:name").handler(this::update);
    router.delete("/v1/functions/:name").handler(this::delete);
  }

  private void create(RoutingContext ctx) {
    JsonBody.read(ctx)
        .map(FunctionSpecParser::parse)
        .map(spec -> {
          AuditNotes.function(ctx, spec.name());
          return spec;
        })
        .compose(registry::create)
        .compose(this::routed)
        .onSuccess(record -> {
          AuditNotes.revision(ctx, record.revision());
          ctx.response().putHeader("Location", "/v1/functions/" + record.name());
          Responses.json(ctx, 201, FunctionJson.toJson(record));
        })
        .onFailure(failure -> Failures.send(ctx, failure));
  }

  private void list(RoutingContext ctx) {
    JsonArray functions = new JsonArray();
    registry.snapshot().values().stream()
        .sorted(Comparator.comparing(FunctionRecord::name))
        .forEach(record -> functions.add(FunctionJson.toJson(record)));
    Responses.json(ctx, 200, new JsonObject().put("functions", functions));
  }

  private void get(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    registry.get(name).ifPresentOrElse(
        record -> Responses.json(ctx, 200, FunctionJson.toJson(record)
            .put("status", StatusJson.of(cluster.functionStatus(name), cluster.keepAlive(record)))),
        () -> Failures.send(ctx, new FunctionRegistry.FunctionNotFoundException(name)));
  }

  private void update(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    JsonBody.read(ctx)
        .map(body -> withName(body, name))
        .map(FunctionSpecParser::parse)
        .compose(registry::update)
        .compose(this::routed)
        .onSuccess(record -> {
          AuditNotes.revision(ctx, record.revision());
          Responses.json(ctx, 200, FunctionJson.toJson(record));
        })
        .onFailure(failure -> Failures.send(ctx, failure));
  }

  private void delete(RoutingContext ctx) {
    Future.<String>succeededFuture(ctx.pathParam("name"))
        .compose(registry::delete)
        .compose(record -> cluster.awaitRouted(record.name(), -1).map(record))
        .onSuccess(record -> {
          AuditNotes.revision(ctx, record.revision());
          Responses.json(ctx, 200, FunctionJson.toJson(record));
        })
        .onFailure(failure -> Failures.send(ctx, failure));
  }

  private Future<FunctionRecord> routed(FunctionRecord record) {
    return cluster.awaitRouted(record.name(), record.revision()).map(record);
  }

  /** The path names the function; a body may repeat the name but not contradict it. */
  private static JsonObject withName(JsonObject body, String pathName) {
    Object bodyName = body.getValue("name");
    if (bodyName == null) {
      return body.copy().put("name", pathName);
    }
    if (bodyName instanceof String text && !text.equals(pathName)) {
      throw new ApiException(400, "name '" + text + "' in the body does not match '" + pathName + "' in the path",
          "name");
    }
    return body;
  }
}
