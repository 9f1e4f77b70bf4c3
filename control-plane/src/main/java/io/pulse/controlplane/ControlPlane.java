package io.pulse.controlplane;

import io.grpc.Server;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pulse.common.admin.AdminRoutes;
import io.pulse.common.admin.Readiness;
import io.pulse.common.grpc.GrpcServers;
import io.pulse.controlplane.api.RestApi;
import io.pulse.controlplane.grpc.ControlPlaneGrpcService;
import io.pulse.controlplane.grpc.GrpcWorkerClient;
import io.pulse.controlplane.registry.FunctionRegistry;
import io.pulse.controlplane.registry.InMemoryFunctionRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One control-plane replica: the REST API with the admin endpoints on {@code restBind}, the ControlPlaneService on
 * {@code grpcBind}, and the scheduling core behind them, all owned by one Vert.x context (a verticle's).
 */
public final class ControlPlane {

  /** How long a registration waits for every data plane to route the function before it answers anyway. */
  private static final long ROUTE_PROPAGATION_TIMEOUT_MS = 2_000;


  private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);
  /** close() waits at most this long for workers to delete the instances. */
  private static final long SHUTDOWN_DELETE_DEADLINE_MILLIS = 3_000;
  private static final String READINESS_CHECK = "control-plane";

  private final Vertx vertx;
  private final String deploymentId;
  private final Core core;
  private @Nullable Future<Void> closing;

  private ControlPlane(Vertx vertx, String deploymentId, Core core) {
    this.vertx = vertx;
    this.deploymentId = deploymentId;
    this.core = core;
  }

  /** Starts a control plane over a new in-memory function registry. */
  public static Future<ControlPlane> start(Vertx vertx, ControlPlaneConfig config, PrometheusRegistry metrics,
      Readiness readiness) {
    return start(vertx, config, metrics, readiness, new InMemoryFunctionRegistry(Clock.systemUTC()));
  }

  /** Starts a control plane over the given function registry. */
  public static Future<ControlPlane> start(Vertx vertx, ControlPlaneConfig config, PrometheusRegistry metrics,
      Readiness readiness, FunctionRegistry registry) {
    Core core = new Core(config, metrics, readiness, registry);
    return vertx.deployVerticle(core).map(id -> new ControlPlane(vertx, id, core));
  }

  /** Stops timers, deletes the Regular Instances on workers (bounded wait), stops gRPC and HTTP. Idempotent. */
  public synchronized Future<Void> close() {
    if (closing == null) {
      closing = vertx.undeploy(deploymentId);
    }
    return closing;
  }

  public int restPort() {
    return core.restPort;
  }

  public int grpcPort() {
    return core.grpcPort;
  }

  public long epoch() {
    return core.epoch;
  }

  public FunctionRegistry registry() {
    return core.registry;
  }

  /** The verticle whose context owns the control plane's state. */
  private static final class Core extends VerticleBase {

    private final ControlPlaneConfig config;
    private final PrometheusRegistry metricsRegistry;
    private final Readiness readiness;
    private final FunctionRegistry registry;
    private volatile boolean ready;
    private volatile int restPort;
    private volatile int grpcPort;
    private volatile long epoch;
    private @Nullable Scheduler scheduler;
    private @Nullable ControlPlaneMetrics metrics;
    private @Nullable HttpServer http;
    private @Nullable Server grpc;

    Core(ControlPlaneConfig config, PrometheusRegistry metricsRegistry, Readiness readiness,
        FunctionRegistry registry) {
      this.config = config;
      this.metricsRegistry = metricsRegistry;
      this.readiness = readiness;
      this.registry = registry;
    }

    @Override
    public Future<?> start() {
      readiness.register(READINESS_CHECK, () -> ready ? null : "servers not bound");
      Clock clock = Clock.systemUTC();
      epoch = clock.millis(); // a later issue replaces this with a fencing token
      Scheduler[] holder = new Scheduler[1];
      SnapshotClusterView view = new SnapshotClusterView(ClusterSnapshot.empty(config.replicaId(), epoch),
          (function, revision) -> holder[0].awaitRouted(function, revision, ROUTE_PROPAGATION_TIMEOUT_MS));
      metrics = ControlPlaneMetrics.register(metricsRegistry, () -> registry.snapshot().size(), view::current,
          () -> holder[0] == null ? java.util.Map.of() : holder[0].autoscaler().desired());
      GrpcWorkerClient workers = new GrpcWorkerClient(context, config.createTimeoutMs(), 5_000);
      scheduler = new Scheduler(vertx, context, config, clock::millis, epoch, registry, workers, view, metrics);
      holder[0] = scheduler;
      ControlPlaneGrpcService service = new ControlPlaneGrpcService(context, scheduler, config.createTimeoutMs());

      Router root = Router.router(vertx);
      AdminRoutes.mount(root, metricsRegistry, readiness);
      root.route("/*").subRouter(RestApi.router(vertx, registry, view));
      Future<HttpServer> httpBound = vertx.createHttpServer().requestHandler(root)
          .listen(config.restBind().port(), config.restBind().host());
      Future<Server> grpcBound = context.executeBlocking(() -> GrpcServers.start(config.grpcBind(),
          List.of(service)));
      return Future.all(httpBound, grpcBound).compose(all -> {
        http = httpBound.result();
        grpc = grpcBound.result();
        restPort = http.actualPort();
        grpcPort = grpc.getPort();
        scheduler.start();
        ready = true;
        LOG.atInfo().setMessage("control plane started").addKeyValue("replica", config.replicaId())
            .addKeyValue("rest", restPort).addKeyValue("grpc", grpcPort).addKeyValue("epoch", epoch).log();
        return Future.succeededFuture();
      }, failure -> {
        // Release whichever server did bind before failing the start.
        if (httpBound.succeeded()) {
          httpBound.result().close();
        }
        if (grpcBound.succeeded()) {
          grpcBound.result().shutdownNow();
        }
        metrics.unregister();
        return Future.failedFuture(failure);
      });
    }

    @Override
    public Future<?> stop() {
      ready = false;
      readiness.register(READINESS_CHECK, () -> "stopped");
      Scheduler s = scheduler;
      Future<Void> deleted = s == null ? Future.succeededFuture() : s.shutdown(SHUTDOWN_DELETE_DEADLINE_MILLIS);
      return deleted.eventually(() -> {
        Server g = grpc;
        Future<Void> grpcStopped = g == null ? Future.succeededFuture()
            : context.executeBlocking(() -> {
              GrpcServers.stop(g, 1_000);
              return null;
            });
        HttpServer h = http;
        Future<Void> httpClosed = h == null ? Future.succeededFuture() : h.close();
        return Future.join(grpcStopped, httpClosed);
      }).eventually(() -> {
        if (metrics != null) {
          metrics.unregister();
        }
        LOG.atInfo().setMessage("control plane stopped").addKeyValue("replica", config.replicaId()).log();
        return Future.succeededFuture();
      });
    }
  }
}
