package io.pulse.controlplane;

import io.grpc.Server;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pulse.common.admin.AdminRoutes;
import io.pulse.common.admin.Readiness;
import io.pulse.common.grpc.GrpcServers;
import io.pulse.common.http.InvalidRequests;
import io.pulse.common.http.JsonErrors;
import io.pulse.common.http.RequestFraming;
import io.pulse.common.http.RouterErrors;
import io.pulse.common.time.Timers;
import io.pulse.controlplane.api.ClusterView.ClusterInfo;
import io.pulse.controlplane.api.LeaderForwarder;
import io.pulse.controlplane.api.RestApi;
import io.pulse.controlplane.api.WriteRoute;
import io.pulse.controlplane.async.Acceptor;
import io.pulse.controlplane.async.AsyncMetrics;
import io.pulse.controlplane.async.Dispatcher;
import io.pulse.controlplane.async.Gateways;
import io.pulse.controlplane.async.InvocationRegistry;
import io.pulse.controlplane.autoscale.LastInstanceHold;
import io.pulse.controlplane.cluster.ClusterMetrics;
import io.pulse.controlplane.cluster.ClusterState;
import io.pulse.controlplane.cluster.HazelcastCluster;
import io.pulse.controlplane.cluster.ReplicaCluster;
import io.pulse.controlplane.cluster.ReplicaInfo;
import io.pulse.controlplane.cluster.ReplicationConfig;
import io.pulse.controlplane.cluster.SoloCluster;
import io.pulse.controlplane.grpc.AsyncGrpcService;
import io.pulse.controlplane.grpc.ControlPlaneGrpcService;
import io.pulse.controlplane.grpc.GrpcWorkerClient;
import io.pulse.controlplane.membership.DrainStore;
import io.pulse.controlplane.registry.FunctionRegistry;
import io.pulse.controlplane.registry.InMemoryFunctionRegistry;
import io.pulse.controlplane.registry.ReplicatedFunctionRegistry;
import io.pulse.controlplane.secrets.SecretCipher;
import io.pulse.controlplane.secrets.SecretValues;
import io.pulse.controlplane.secrets.Secrets;
import io.pulse.controlplane.security.ApiGuard;
import io.pulse.controlplane.state.StateStore;
import io.pulse.controlplane.term.TermAction;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One control-plane replica: the REST API with the admin endpoints on {@code restBind}, the ControlPlaneService on
 * {@code grpcBind}, its place in the replica cluster, and — while it leads — the scheduling core of the current term,
 * all owned by one Vert.x context (a verticle's). Every replica serves the registry; only the leader runs the
 * scheduler (autoscaling, placement, instance lifecycle, route publication), in a fresh instance per term so that soft
 * state is always rebuilt from workers and data planes, and commands carry that term's epoch.
 */
public final class ControlPlane {

  /** How long a registration waits for every data plane to route the function before it answers anyway. */
  private static final long ROUTE_PROPAGATION_TIMEOUT_MS = 2_000;
  private static final long MERGE_RETRY_MS = 500;
  /** A new leader of a replicated cluster accepts route streams after this many worker heartbeat periods. */
  private static final long ROUTES_AFTER_HEARTBEATS = 2;

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

  /** Starts a single replica over a new in-memory function registry (nothing survives a restart). */
  public static Future<ControlPlane> start(Vertx vertx, ControlPlaneConfig config, PrometheusRegistry metrics,
      Readiness readiness) {
    return start(vertx, config, metrics, readiness, new InMemoryFunctionRegistry(Clock.systemUTC()));
  }

  /** Starts a single replica over the given function registry. */
  public static Future<ControlPlane> start(Vertx vertx, ControlPlaneConfig config, PrometheusRegistry metrics,
      Readiness readiness, FunctionRegistry registry) {
    return deploy(vertx, new Core(config, ReplicationConfig.single(), metrics, readiness, registry, Clock.systemUTC()));
  }

  /**
   * Starts a replica of a replicated control plane: a durable registry in {@code replication.dataDir()} (RocksDB;
   * in memory when null), and a Hazelcast member joining {@code replication.members()} when there are several.
   */
  public static Future<ControlPlane> start(Vertx vertx, ControlPlaneConfig config, ReplicationConfig replication,
      PrometheusRegistry metrics, Readiness readiness) {
    return deploy(vertx, new Core(config, replication, metrics, readiness, null, Clock.systemUTC()));
  }

  private static Future<ControlPlane> deploy(Vertx vertx, Core core) {
    return vertx.deployVerticle(core).map(id -> new ControlPlane(vertx, id, core));
  }

  /** Stops the term (a lone replica deletes its instances; a replica of several leaves them to the next leader),
   * stops gRPC and HTTP, leaves the cluster. Idempotent. */
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

  /** The epoch of the current leader term (this replica's, while it leads). */
  public long epoch() {
    ClusterState state = core.clusterState();
    return state == null ? 0 : state.epoch();
  }

  /** The cluster as this replica sees it, null until it has joined. */
  public @Nullable ClusterState clusterState() {
    return core.clusterState();
  }

  public FunctionRegistry registry() {
    FunctionRegistry registry = core.registry;
    if (registry == null) {
      throw new IllegalStateException("the control plane has not started");
    }
    return registry;
  }

  /** The verticle whose context owns the control plane's state. */
  private static final class Core extends VerticleBase {

    private final ControlPlaneConfig config;
    private final ReplicationConfig replication;
    private final PrometheusRegistry metricsRegistry;
    private final Readiness readiness;
    /** The one clock of this replica's decisions (terms, route gating, registry stamps, async, accounting). */
    private final Clock clock;
    private final List<AutoCloseable> owned = new ArrayList<>();
    /** The core's timer service (retries, the term's wake-ups), on its context; set at start. */
    private Timers timers = (delay, action) -> {
      throw new IllegalStateException("the control plane has not started");
    };
    private volatile @Nullable FunctionRegistry registry;
    /** Null over a registry handed in (which keeps no secrets). */
    private volatile @Nullable Secrets secrets;
    private volatile @Nullable ReplicaCluster cluster;
    private volatile boolean ready;
    private volatile int restPort;
    private volatile int grpcPort;
    private volatile @Nullable Router api;
    private volatile @Nullable Scheduler scheduler;
    /** The epoch of the running scheduler's term, for the log (the term machine owns the epoch). */
    private long schedulerEpoch;
    private final io.pulse.controlplane.term.TermOrder termOrder = new io.pulse.controlplane.term.TermOrder();
    private int terms;
    private boolean stopping;
    private @Nullable SnapshotClusterView view;
    private @Nullable LeaderGate gate;
    private @Nullable ControlPlaneMetrics metrics;
    private @Nullable ClusterMetrics clusterMetrics;
    private @Nullable HttpServer http;
    private volatile @Nullable ApiGuard guard;
    private @Nullable Server grpc;
    /** Where drains are recorded: the durable registry, or memory when a registry was handed in. */
    private volatile DrainStore drains = DrainStore.inMemory();
    /** Sends followers' writes to the leader; null for a single replica, or with TLS on the REST API. */
    private @Nullable LeaderForwarder forwarder;
    private final Gateways gateways = new Gateways();
    /** Null over a registry handed in (which keeps no invocations), and until the registry is built. */
    private volatile @Nullable Acceptor acceptor;
    private @Nullable AsyncMetrics asyncMetrics;
    /** Runs while this replica leads and its registry is confirmed; context only, read by the acceptor's wake-up. */
    private volatile @Nullable Dispatcher dispatcher;

    Core(ControlPlaneConfig config, ReplicationConfig replication, PrometheusRegistry metricsRegistry,
        Readiness readiness, @Nullable FunctionRegistry registry, Clock clock) {
      this.config = config;
      this.clock = clock;
      this.replication = replication;
      this.metricsRegistry = metricsRegistry;
      this.readiness = readiness;
      this.registry = registry;
    }

    @Nullable ClusterState clusterState() {
      ReplicaCluster c = cluster;
      return c == null ? null : c.state();
    }

    @Override
    public Future<?> start() {
      timers = Timers.of(vertx); // on the context: every timer of the core runs there
      readiness.register(READINESS_CHECK, () -> ready ? null : "not started");
      SnapshotClusterView snapshotView = new SnapshotClusterView(ClusterSnapshot.empty(config.replicaId(), 0),
          (function, revision) -> {
            Scheduler s = scheduler;
            return s == null ? Future.succeededFuture(true)
                : s.awaitRouted(function, revision, ROUTE_PROPAGATION_TIMEOUT_MS);
          }, clock);
      view = snapshotView;
      snapshotView.drainer((workerId, draining) -> {
        Scheduler s = scheduler;
        return s != null ? s.setDraining(workerId, draining) : Future.failedFuture(notLeader());
      });
      if (replication.replicated()) {
        forwarder = new LeaderForwarder(vertx, config.replicaId(), config.security().rest().tls() != null,
            config.security().peerCa());
      }
      LeaderGate leaderGate = new LeaderGate(this::stateOrStarting, clock);
      gate = leaderGate;
      ControlPlaneGrpcService service = new ControlPlaneGrpcService(context, leaderGate, config.createTimeoutMs(),
          leaderGate::leaderInfo, this::openSecrets, gateways);
      AsyncGrpcService asyncService = new AsyncGrpcService(() -> acceptor);

      Router root = Router.router(vertx);
      // The API's refusals end in the root too: the Allow of a 405 looks at both routers.
      RouterErrors.mount(root, () -> {
        Router rest = api;
        return rest == null ? root.getRoutes()
            : Stream.concat(root.getRoutes().stream(), rest.getRoutes().stream()).toList();
      });
      AdminRoutes.mount(root, metricsRegistry, readiness);
      // The token check (and audit) of /v1, ahead of the API; the listener opens only once the guard is ready.
      Future<ApiGuard> guarded = context.executeBlocking(() -> ApiGuard.open(config.security(),
          replication.dataDir(), config.replicaId()));
      root.route("/v1/*").handler(ctx -> {
        ApiGuard g = guard;
        if (g == null) {
          JsonErrors.send(ctx.response(), 503, "control plane starting; retry in a second");
        } else {
          g.handle(ctx);
        }
      });
      // The API's routes are absolute: it takes the context from a route on "/" (a route on "/v1/*" would make
      // "/v1" its mount point).
      root.route("/*").handler(ctx -> {
        if (!ctx.request().path().startsWith("/v1/")) {
          RouterErrors.noRoute(ctx, root); // the admin paths and anything unknown outside the API
          return;
        }
        Router rest = api;
        if (rest == null) {
          JsonErrors.send(ctx.response(), 503, "control plane starting; retry in a second");
          return;
        }
        // A write on a follower is the leader's: forwarded with the caller's token, answered with its answer.
        switch (WriteRoute.of(ctx.request().method(), ctx.request().getHeader(WriteRoute.FORWARDED_BY),
            stateOrStarting(), forwarder != null)) {
          case WriteRoute.Local local -> rest.handleContext(ctx);
          case WriteRoute.Forward leader -> java.util.Objects.requireNonNull(forwarder).forward(ctx, leader);
          case WriteRoute.Refuse refusal -> {
            ctx.response().putHeader("Retry-After", "1");
            JsonErrors.send(ctx.response(), 503, refusal.message());
          }
        }
      });
      Future<HttpServer> httpBound = guarded.compose(opened -> {
        guard = opened;
        // HTTP/1.1 only: a cleartext HTTP/2 upgrade would bypass the header limit (Vert.x drops such headers).
        HttpServerOptions options = config.security().rest().applyTo(new HttpServerOptions()
            .setHttp2ClearTextEnabled(false));
        RequestFraming.Gate framing = new RequestFraming.Gate();
        return InvalidRequests.answerWithJson(vertx.createHttpServer(options).requestHandler(request -> {
          if (!framing.refuse(request)) {
            root.handle(request);
          }
        })).listen(config.restBind().port(), config.restBind().host());
      });
      Future<Server> grpcBound = context.executeBlocking(() -> GrpcServers.start(config.grpcBind(),
          List.of(service, asyncService)));
      return Future.all(httpBound, grpcBound).compose(all -> {
        http = httpBound.result();
        grpc = grpcBound.result();
        restPort = http.actualPort();
        grpcPort = grpc.getPort();
        ReplicaInfo self = new ReplicaInfo(config.replicaId(), replication.advertiseHost() + ":" + grpcPort,
            replication.advertiseHost() + ":" + restPort);
        return context.executeBlocking(() -> joinCluster(self));
      }).compose(joined -> {
        FunctionRegistry functions = java.util.Objects.requireNonNull(registry);
        ReplicatedFunctionRegistry durable = functions instanceof ReplicatedFunctionRegistry r ? r : null;
        InvocationRegistry invocations = durable;
        if (durable != null) {
          AsyncMetrics async = AsyncMetrics.register(metricsRegistry, durable::invocations,
              durable::storedInvocationEntries, clock);
          asyncMetrics = async;
          acceptor = new Acceptor(functions, invocations, config.asyncLimits(), clock, () -> {
            async.accepted();
            Dispatcher d = dispatcher;
            if (d != null) {
              d.kick();
            }
          });
        }
        snapshotView.keepAlives(joined.idleGaps(), new LastInstanceHold(config.dualTrackIdleKeepAliveRule(),
            config.defaultPolicy()));
        api = RestApi.router(vertx, functions, snapshotView, secrets, invocations, clock);
        snapshotView.clusterInfo(this::clusterInfo);
        metrics = ControlPlaneMetrics.register(metricsRegistry, () -> functions.snapshot().size(),
            snapshotView::current, () -> {
              Scheduler s = scheduler;
              return s == null ? Map.of() : s.autoscaler().desired();
            });
        clusterMetrics = ClusterMetrics.register(metricsRegistry, joined::state,
            () -> functions instanceof ReplicatedFunctionRegistry r ? r.highestSeq() : 0);
        if (replication.replicated()) {
          joined.onTerm(actions -> context.runOnContext(v -> carryOut(actions)));
        } else {
          joined.onTerm(this::carryOut); // a lone replica leads before start completes (called at once, here)
        }
        ready = true;
        if (replication.replicated()) {
          // Any replica may lead next: pay for the gRPC client's first use now, not inside a failover.
          String own = replication.advertiseHost() + ":" + grpcPort;
          context.executeBlocking(() -> {
            io.pulse.controlplane.grpc.ClientWarmup.run(own);
            return null;
          }, false);
        }
        LOG.atInfo().setMessage("control plane started").addKeyValue("replica", config.replicaId())
            .addKeyValue("rest", restPort).addKeyValue("rest_scheme", config.security().rest().scheme())
            .addKeyValue("grpc", grpcPort)
            .addKeyValue("replicas", Math.max(1, replication.members().size()))
            .addKeyValue("dataDir", replication.dataDir()).log();
        return Future.succeededFuture();
      }).recover(failure -> {
        // Release whatever did start before failing the start.
        if (httpBound.succeeded()) {
          httpBound.result().close();
        }
        if (grpcBound.succeeded()) {
          grpcBound.result().shutdownNow();
        }
        return context.executeBlocking(() -> {
          closeOwned();
          return null;
        }).transform(ignored -> Future.failedFuture(failure));
      });
    }

    /** Blocking: opens the store, joins (or, alone, founds) the cluster, builds the durable registry. */
    private ReplicaCluster joinCluster(ReplicaInfo self) {
      if (registry != null) {
        // A registry handed in (tests, the in-memory default): a lone replica without a store of its own.
        SoloCluster solo = new SoloCluster(self, StateStore.inMemory(), clock.millis());
        cluster = solo;
        return solo;
      }
      StateStore store = replication.dataDir() == null ? StateStore.inMemory()
          : StateStore.rocksDb(replication.dataDir());
      owned.add(store);
      ReplicaCluster joined = replication.replicated()
          ? HazelcastCluster.start(replication, self, store, clock::millis)
          : new SoloCluster(self, store, clock.millis());
      owned.addFirst(joined);
      ReplicatedFunctionRegistry durable = new ReplicatedFunctionRegistry(clock, store,
          joined.replication(), config.invocationHorizon());
      owned.addFirst(durable);
      Secrets opened = new Secrets(secretCipher(), durable);
      opened.verifyAll(); // a wrong key file fails the start, not the first sandbox that needs a secret
      secrets = opened;
      drains = durable;
      registry = durable;
      cluster = joined;
      return joined;
    }

    /** Blocking: the key ring of --secrets-key-file, else DATA-DIR/secrets.key, else one only this process knows. */
    private SecretCipher secretCipher() {
      java.nio.file.Path file = config.security().secretsKeyFile() != null ? config.security().secretsKeyFile()
          : replication.dataDir() != null ? replication.dataDir().resolve("secrets.key") : null;
      if (file == null) {
        return SecretCipher.ephemeral();
      }
      SecretCipher cipher = SecretCipher.loadOrCreate(file);
      LOG.atInfo().setMessage("secrets key ring read").addKeyValue("file", file.toAbsolutePath())
          .addKeyValue("sealingKey", cipher.keyId()).log();
      return cipher;
    }

    /** The values of a spec's secrets, for the sandbox specs this replica sends while it leads. */
    private java.util.List<io.pulse.controlplane.secrets.OpenedSecret> openSecrets(
        io.pulse.controlplane.registry.FunctionSpec spec) {
      Secrets s = secrets;
      return s == null ? SecretValues.NONE.open(spec) : s.open(spec);
    }

    private ClusterState stateOrStarting() {
      ReplicaCluster c = cluster;
      if (c != null) {
        return c.state();
      }
      ReplicaInfo self = new ReplicaInfo(config.replicaId(), "", "");
      return new ClusterState(self, List.of(), Math.max(1, replication.members().size()), null, 0, null, 0);
    }

    /** Refusal of a leader-only operation on this replica, naming the leader when one is known. */
    private io.pulse.controlplane.registry.NotLeaderException notLeader() {
      ClusterState state = stateOrStarting();
      ReplicaInfo leader = state.leader();
      boolean elsewhere = leader != null && !leader.id().equals(state.self().id());
      return new io.pulse.controlplane.registry.NotLeaderException(state.refusal(),
          elsewhere ? leader.id() : null, elsewhere ? leader.restAddress() : null);
    }

    private ClusterInfo clusterInfo() {
      ClusterState state = stateOrStarting();
      ReplicaInfo leader = state.leader();
      boolean elsewhere = leader != null && !leader.id().equals(state.self().id());
      return new ClusterInfo(config.replicaId(), state.members().stream().map(ReplicaInfo::id).toList(),
          leader == null ? "" : leader.id(), state.epoch(),
          state.lastFailoverMillis() == null ? null : state.lastFailoverMillis().doubleValue(),
          elsewhere ? leader.restAddress() : null);
    }

    /** On the context: carries out the term machine's actions, in order (see {@link io.pulse.controlplane.term}). */
    private void carryOut(List<TermAction> actions) {
      for (TermAction action : actions) {
        if (stopping) {
          return;
        }
        if (!termOrder.admits(action)) {
          LOG.atWarn().setMessage("ignored a term action older than the latest term").addKeyValue("action", action)
              .log();
          continue;
        }
        switch (action) {
          case TermAction.Merge merge -> mergeAfterSplit();
          case TermAction.Begin begin -> {
            endTerm(); // an adapter that lost an End (none does) must not leave two schedulers
            beginTerm(begin.epoch(), ++terms);
          }
          case TermAction.End end -> endTerm();
          case TermAction.Claim claim -> { } // carried out by the cluster adapter, never sent here
        }
      }
    }

    /** Rejoined a majority: bring back what only this replica's disk had (highest sequence wins); retried. */
    private void mergeAfterSplit() {
      if (!replication.replicated()) {
        return;
      }
      mergeRegistry().onComplete(merged -> context.runOnContext(v -> {
        ClusterState now = clusterState();
        if (merged.failed() && !stopping && now != null && now.hasQuorum()) {
          LOG.atWarn().setMessage("registry merge failed; retrying").addKeyValue("error", merged.cause().toString())
              .log();
          timers.schedule(MERGE_RETRY_MS, this::mergeAfterSplit);
        }
      }));
    }

    private Future<Void> mergeRegistry() {
      return registry instanceof ReplicatedFunctionRegistry r && replication.replicated() ? r.mergeWithCluster()
          : Future.succeededFuture();
    }

    /**
     * Starts scheduling at once and merges the registry with the cluster beside it: until the merge is done the term
     * deletes no sandbox of a function it does not know (the merge may bring it), so a new leader need not wait for
     * Hazelcast's partitions to settle before it scales.
     */
    private void beginTerm(long epoch, int term) {
      if (!replication.replicated()) {
        startScheduler(epoch);
        startDispatcher();
        return;
      }
      Scheduler started = startScheduler(epoch);
      started.registryComplete(false);
      confirmRegistry(started, epoch, term);
    }

    private void confirmRegistry(Scheduler term, long epoch, int number) {
      mergeRegistry().onComplete(merged -> context.runOnContext(v -> {
        ClusterState now = clusterState();
        if (stopping || number != terms || scheduler != term || now == null || !now.isLeader()
            || now.epoch() != epoch) {
          return; // the term ended while merging
        }
        if (merged.failed()) {
          LOG.atWarn().setMessage("registry merge failed; retrying (unknown sandboxes are left alone meanwhile)")
              .addKeyValue("error", merged.cause().toString()).log();
          timers.schedule(MERGE_RETRY_MS, () -> confirmRegistry(term, epoch, number));
          return;
        }
        term.registryComplete(true);
        startDispatcher(); // only now: the merge may bring invocations an earlier leader accepted
        LOG.atInfo().setMessage("registry confirmed for the term").addKeyValue("epoch", epoch)
            .addKeyValue("functions", java.util.Objects.requireNonNull(registry).snapshot().size()).log();
      }));
    }

    private Scheduler startScheduler(long epoch) {
      SnapshotClusterView snapshotView = java.util.Objects.requireNonNull(view);
      FunctionRegistry functions = java.util.Objects.requireNonNull(registry);
      GrpcWorkerClient workers = new GrpcWorkerClient(context, config.createTimeoutMs(), 5_000, this::openSecrets);
      snapshotView.publish(ClusterSnapshot.empty(config.replicaId(), epoch));
      Scheduler next = new Scheduler(timers, context, config, clock::millis, epoch, functions, workers,
          snapshotView, java.util.Objects.requireNonNull(metrics), drains,
          java.util.Objects.requireNonNull(cluster).idleGaps());
      snapshotView.logReader(new WorkerLogReader(next.applier()::logs, snapshotView::workers));
      scheduler = next;
      schedulerEpoch = epoch;
      next.start();
      ReplicaCluster joined = cluster;
      // After the scheduler's first publication (queued on this context by start()), so no route stream of this term
      // ever begins with an empty table; a replicated term also waits until the workers earlier leaders knew have
      // told what they run (the sweep), at most two heartbeat periods (see LeaderGate).
      long routesFrom = replication.replicated()
          ? clock.millis() + ROUTES_AFTER_HEARTBEATS * config.heartbeatIntervalMs() : 0;
      LeaderGate leaderGate = java.util.Objects.requireNonNull(gate);
      context.runOnContext(v -> {
        if (scheduler == next) {
          leaderGate.lead(next, routesFrom);
        }
      });
      if (replication.replicated() && joined != null) {
        // Adopt the workers earlier leaders knew without waiting for them to register again.
        next.sweep(joined.workers()).onComplete(swept -> context.runOnContext(v -> leaderGate.openRoutes(next)));
      }
      LOG.atInfo().setMessage("leader term started").addKeyValue("replica", config.replicaId())
          .addKeyValue("epoch", epoch).addKeyValue("functions", functions.snapshot().size()).log();
      return next;
    }

    /** Runs the accepted async invocations while this term lasts (from what the replicated store holds). */
    private void startDispatcher() {
      if (!(registry instanceof ReplicatedFunctionRegistry durable) || asyncMetrics == null) {
        return;
      }
      stopDispatcher();
      Dispatcher started = new Dispatcher(context, durable, durable, gateways::urls, config.asyncLimits(),
          clock, asyncMetrics);
      dispatcher = started;
      started.start();
    }

    private void stopDispatcher() {
      Dispatcher d = dispatcher;
      if (d != null) {
        dispatcher = null;
        d.stop();
      }
    }

    /** Drops the term's soft state without touching workers (the next leader adopts the instances). */
    private void endTerm() {
      stopDispatcher();
      Scheduler s = scheduler;
      if (s == null) {
        return;
      }
      java.util.Objects.requireNonNull(gate).lead(null);
      scheduler = null;
      s.abandon();
      java.util.Objects.requireNonNull(view).publish(ClusterSnapshot.empty(config.replicaId(), 0));
      view.coldStartSource(SnapshotClusterView.NO_COLD_STARTS); // a follower measures none
      LOG.atInfo().setMessage("leader term ended").addKeyValue("replica", config.replicaId())
          .addKeyValue("epoch", schedulerEpoch).log();
    }

    @Override
    public Future<?> stop() {
      ready = false;
      stopping = true;
      stopDispatcher();
      readiness.register(READINESS_CHECK, () -> "stopped");
      Scheduler s = scheduler;
      Future<Void> termEnded;
      if (s == null) {
        termEnded = Future.succeededFuture();
      } else if (replication.replicated()) {
        endTerm();
        termEnded = Future.succeededFuture();
      } else {
        if (gate != null) {
          gate.lead(null);
        }
        termEnded = s.shutdown(SHUTDOWN_DELETE_DEADLINE_MILLIS);
      }
      return termEnded.eventually(() -> {
        Server g = grpc;
        Future<Void> grpcStopped = g == null ? Future.succeededFuture()
            : context.executeBlocking(() -> {
              GrpcServers.stop(g, 1_000);
              return null;
            });
        HttpServer h = http;
        Future<Void> httpClosed = h == null ? Future.succeededFuture() : h.close();
        if (forwarder != null) {
          forwarder.close();
        }
        return Future.join(grpcStopped, httpClosed);
      }).eventually(() -> context.executeBlocking(() -> {
        closeOwned();
        return null;
      })).eventually(() -> {
        if (metrics != null) {
          metrics.unregister();
        }
        if (clusterMetrics != null) {
          clusterMetrics.unregister();
        }
        if (asyncMetrics != null) {
          asyncMetrics.unregister();
        }
        LOG.atInfo().setMessage("control plane stopped").addKeyValue("replica", config.replicaId()).log();
        return Future.succeededFuture();
      });
    }

    /** Registry, cluster, store: in that order (each needs the next). */
    private void closeOwned() {
      for (AutoCloseable resource : owned) {
        try {
          resource.close();
        } catch (Exception e) {
          LOG.atWarn().setMessage("close failed").addKeyValue("resource", resource.getClass().getSimpleName())
              .addKeyValue("error", e.toString()).log();
        }
      }
      owned.clear();
      ApiGuard g = guard;
      if (g != null) {
        g.close(); // flushes the audit log
        guard = null;
      }
    }
  }
}
