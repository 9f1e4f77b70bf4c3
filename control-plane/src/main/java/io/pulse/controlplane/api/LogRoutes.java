package io.pulse.controlplane.api;

import io.pulse.common.time.Timers;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * {@code GET /v1/functions/{name}/logs}: what the function's instances printed, asked of the workers that run them
 * (on the leader, which knows where they are), merged by time and cut to the newest {@code tail} lines. An instance
 * whose worker cannot say is listed under {@code errors}; the others still answer.
 */
final class LogRoutes {

  /** How often a follower asks the workers for new lines. */
  static final long FOLLOW_INTERVAL_MS = 1_000;
  private static final int HEARTBEAT_READS = 10;

  private final FunctionRegistry registry;
  private final ClusterView cluster;
  /** A follower's next read. */
  private final Timers timers;

  LogRoutes(FunctionRegistry registry, ClusterView cluster, Timers timers) {
    this.registry = registry;
    this.cluster = cluster;
    this.timers = timers;
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
            : " (" + info.leader() + ")"), info.leader().isEmpty() ? null : info.leader(), info.leaderRestAddress());
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
    if (request.follow()) {
      new LogFollower(ctx, name, request).start(instances);
      return;
    }
    read(instances, instance -> request.tail(), instance -> request.sinceMs())
        .onComplete(done -> Responses.json(ctx, 200, toJson(done.result(), request.tail())));
  }

  /** Asks every instance's worker at once; never fails (an instance that cannot be read carries its error). */
  private Future<List<InstanceLogs>> read(List<InstanceView> instances, ToIntFunction<InstanceView> tail,
      ToLongFunction<InstanceView> since) {
    List<Future<InstanceLogs>> reads = instances.stream().map(instance -> cluster
        .logs(instance, tail.applyAsInt(instance), since.applyAsLong(instance))
        .map(lines -> new InstanceLogs(instance, lines, ""))
        .otherwise(failure -> new InstanceLogs(instance, List.of(), String.valueOf(failure.getMessage()))))
        .toList();
    return Future.join(reads).transform(done -> Future.succeededFuture(reads.stream().map(Future::result).toList()));
  }

  /**
   * {@code follow=true}: one JSON object per line ({@code application/x-ndjson}), first the newest {@code tail} lines,
   * then new lines of every instance, instances that appear later included, asked of the workers every
   * {@link #FOLLOW_INTERVAL_MS} until the client goes away or the function is deleted. An instance that cannot be
   * read is reported once, as {@code {"instance", "worker", "error"}}; a blank line after ten quiet reads keeps the
   * connection from idling out. More than {@link LogRequest#MAX_TAIL} new lines of one instance in one interval
   * keep only the newest.
   */
  private final class LogFollower {

    private final RoutingContext ctx;
    private final String name;
    private final LogRequest request;
    private final Map<String, LogCursor> cursors = new HashMap<>();
    private final Set<String> reported = new HashSet<>();
    private volatile boolean closed;
    private int quietReads;

    LogFollower(RoutingContext ctx, String name, LogRequest request) {
      this.ctx = ctx;
      this.name = name;
      this.request = request;
    }

    void start(List<InstanceView> instances) {
      ctx.response().setChunked(true).putHeader("Content-Type", "application/x-ndjson").setStatusCode(200);
      ctx.response().closeHandler(v -> closed = true);
      read(instances, instance -> request.tail(), instance -> request.sinceMs()).onComplete(done -> {
        send(done.result(), request.tail());
        next();
      });
    }

    private void next() {
      timers.schedule(FOLLOW_INTERVAL_MS, () -> {
        if (closed) {
          return;
        }
        if (registry.get(name).isEmpty()) {
          ctx.response().end();
          return;
        }
        List<InstanceView> instances = cluster.instancesOf(name).stream()
            .filter(i -> request.instance() == null || i.id().equals(request.instance())).toList();
        read(instances, instance -> LogRequest.MAX_TAIL,
            instance -> cursors.getOrDefault(instance.id(), LogCursor.START).sinceMs())
            .onComplete(done -> {
              send(done.result().stream().map(a -> new InstanceLogs(a.instance(),
                  cursors.getOrDefault(a.instance().id(), LogCursor.START).unsent(a.lines()), a.error())).toList(),
                  LogRequest.MAX_TAIL);
              next();
            });
      });
    }

    private void send(List<InstanceLogs> answers, int tail) {
      if (closed) {
        return;
      }
      answers.forEach(a -> cursors.merge(a.instance().id(), LogCursor.START.after(a.lines()),
          (old, ignored) -> old.after(a.lines())));
      JsonObject body = toJson(answers, tail);
      StringBuilder chunk = new StringBuilder();
      body.getJsonArray("lines").forEach(line -> chunk.append(((JsonObject) line).encode()).append('\n'));
      for (Object error : body.getJsonArray("errors")) {
        JsonObject e = (JsonObject) error;
        if (reported.add(e.getString("instance"))) {
          chunk.append(new JsonObject().put("instance", e.getString("instance")).put("worker", e.getString("worker"))
              .put("error", e.getString("message")).encode()).append('\n');
        }
      }
      if (chunk.isEmpty() && ++quietReads >= HEARTBEAT_READS) {
        // A blank line now and then, or the listener's idle timeout would close a quiet follow.
        chunk.append('\n');
      }
      if (!chunk.isEmpty()) {
        quietReads = 0;
        ctx.response().write(chunk.toString());
      }
    }
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
