package io.pulse.controlplane.api;

import io.pulse.controlplane.api.ClusterView.ClusterInfo;
import io.pulse.controlplane.api.ClusterView.InstanceView;
import io.pulse.controlplane.instances.LogLine;
import io.pulse.controlplane.registry.FunctionRegistry;
import io.pulse.controlplane.registry.FunctionRegistry.FunctionNotFoundException;
import io.pulse.controlplane.registry.NotLeaderException;
import io.pulse.common.http.RouterErrors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * {@code GET /v1/functions/{name}/logs}: what the function's instances printed, asked of the workers that run them
 * (on the leader, which knows where they are), merged by time and cut to the newest {@code tail} lines. An instance
 * whose worker cannot say is listed under {@code errors}; the others still answer.
 */
final class LogRoutes {

  private final FunctionRegistry registry;
  private final ClusterView cluster;

  LogRoutes(FunctionRegistry registry, ClusterView cluster) {
    this.registry = registry;
    this.cluster = cluster;
  }

  void mount(Router router) {
    RouterErrors.readable(router, "/v1/functions/:name/logs").handler(this::logs);
  }

  /** One line with where it came from. */
  record TaggedLine(InstanceView instance, LogLine line) {}

  /** What one instance answered: lines, or why not. */
  record InstanceLogs(InstanceView instance, List<LogLine> lines, String error) {}

  private void logs(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    List<InstanceView> instances;
    LogRequest request;
    try {
      request = LogRequest.parse(ctx.queryParams());
      if (registry.get(name).isEmpty()) {
        throw new FunctionNotFoundException(name);
      }
      ClusterInfo info = cluster.cluster();
      if (!info.replicaId().equals(info.leader())) {
        // Only the leader knows where instances run.
        throw new NotLeaderException("instance logs are read through the leader" + (info.leader().isEmpty() ? ""
            : " (" + info.leader() + ")"), info.leader().isEmpty() ? null : info.leader(), null);
      }
      instances = cluster.instancesOf(name).stream()
          .filter(i -> request.instance() == null || i.id().equals(request.instance())).toList();
      if (request.instance() != null && instances.isEmpty()) {
        throw new ApiException(404, "function '" + name + "' has no instance '" + request.instance() + "'",
            "instance");
      }
    } catch (RuntimeException e) {
      Failures.send(ctx, e);
      return;
    }
    List<Future<InstanceLogs>> reads = instances.stream().map(instance -> cluster
        .logs(instance, request.tail(), request.sinceMs())
        .map(lines -> new InstanceLogs(instance, lines, ""))
        .otherwise(failure -> new InstanceLogs(instance, List.of(), String.valueOf(failure.getMessage()))))
        .toList();
    Future.join(reads).onComplete(done -> Responses.json(ctx, 200,
        toJson(reads.stream().map(Future::result).toList(), request.tail())));
  }

  /** The newest {@code tail} lines of all instances in time order (an instance's own order kept), and the errors. */
  static JsonObject toJson(List<InstanceLogs> answers, int tail) {
    List<TaggedLine> merged = answers.stream()
        .flatMap(a -> a.lines().stream().map(line -> new TaggedLine(a.instance(), line)))
        .sorted(Comparator.comparingLong(t -> t.line().timeMs()))
        .toList();
    JsonArray lines = new JsonArray();
    merged.subList(Math.max(0, merged.size() - tail), merged.size()).forEach(t -> lines.add(new JsonObject()
        .put("time", Instant.ofEpochMilli(t.line().timeMs()).toString())
        .put("instance", t.instance().id())
        .put("kind", t.instance().kind())
        .put("worker", t.instance().workerId())
        .put("text", t.line().text())));
    JsonArray errors = new JsonArray();
    answers.stream().filter(a -> !a.error().isEmpty()).forEach(a -> errors.add(new JsonObject()
        .put("instance", a.instance().id()).put("worker", a.instance().workerId()).put("message", a.error())));
    return new JsonObject().put("lines", lines).put("errors", errors);
  }
}
