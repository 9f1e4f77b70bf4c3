package io.pulse.dataplane;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pulse.api.v1.AsyncInvocationServiceGrpc;
import io.pulse.api.v1.ControlPlaneServiceGrpc;
import io.pulse.common.admin.Readiness;
import io.pulse.common.grpc.GrpcChannels;
import io.pulse.common.leader.LeaderChannel;
import io.pulse.common.net.HostPort;
import io.pulse.dataplane.coldstart.WaitQueue;
import io.pulse.dataplane.async.AsyncAccept;
import io.pulse.dataplane.coldstart.WaitQueues;
import io.pulse.dataplane.expedited.EmergencyLedger;
import io.pulse.dataplane.expedited.ExpeditedTrack;
import io.pulse.dataplane.expedited.GrpcSandboxCreator;
import io.pulse.dataplane.expedited.LeaseRenewer;
import io.pulse.dataplane.failures.FailureNotes;
import io.pulse.dataplane.lb.Balancer;
import io.pulse.dataplane.lb.InFlightCounters;
import io.pulse.dataplane.lb.LbPolicy;
import io.pulse.dataplane.lb.Suspects;
import io.pulse.dataplane.proxy.RawAdmission;
import io.pulse.dataplane.routing.Instance;
import io.pulse.dataplane.routing.Route;
import io.pulse.dataplane.routing.RouteWatcher;
import io.pulse.dataplane.routing.RoutingState;
import io.pulse.dataplane.routing.RoutingTable;
import io.pulse.dataplane.routing.WorkerRef;
import io.pulse.dataplane.stats.LoadReporter;
import io.pulse.dataplane.stats.LoadTracker;
import io.pulse.dataplane.stats.MetricFilter;
import io.pulse.dataplane.tracks.CpuHeadroom;
import io.pulse.dataplane.tracks.CreationTimes;
import io.pulse.dataplane.tracks.PoolHits;
import io.pulse.dataplane.tracks.TrackChoice;
import io.pulse.dataplane.tracks.TrackRule;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data plane component: the invocation gateway on {@link DataPlaneConfig#httpBind()}, the route watcher and the
 * load reporter. Does not own the Vertx, the registry or the readiness it is given; {@link #close()} releases only
 * what it created.
 */
public final class DataPlane {

  private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);
  private static final long EMERGENCY_COOLDOWN_MILLIS = 1_000;
  private static final long EMERGENCY_DRAIN_MILLIS = 10_000;
  private static final int METRIC_FILTER_WINDOW = 100;
  private static final long TRACK_RECHECK_MILLIS = 20;
  private static final long CPU_SAMPLE_MILLIS = 500;
  /** How long new requests avoid an instance that refused a connection, if the routes do not drop it sooner. */
  private static final long SUSPECT_MILLIS = 5_000;

  private final Vertx vertx;
  private final DataPlaneConfig config;
  private final LeaderChannel channel;
  private final RouteWatcher watcher;
  private final LoadReporter reporter;
  private final WaitQueues<Grant> queues;
  private final ExpeditedTrack expedited;
  private final LeaseRenewer renewer;
  private final GatewayMetrics metrics;
  private final RoutingState routing;
  private final Invocations invocations;
  private final @Nullable RawAdmission rawAdmissions; // --forwarding raw
  private final List<String> deployments = new ArrayList<>();
  private final TrackChoice tracks;
  private final GrantSource grants;
  private final LoadTracker load;
  private final CpuHeadroom headroom = new CpuHeadroom();
  private final List<Long> timers = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final AtomicReference<@Nullable Future<Void>> closing = new AtomicReference<>();
  private volatile int httpPort = -1;

  private DataPlane(Vertx vertx, DataPlaneConfig config, PrometheusRegistry registry, Readiness readiness) {
    this.vertx = vertx;
    this.config = config;
    this.routing = new RoutingState();
    InFlightCounters counters = new InFlightCounters();
    Suspects suspects = new Suspects(System::nanoTime, TimeUnit.MILLISECONDS.toNanos(SUSPECT_MILLIS));
    Balancer balancer = new Balancer(counters, LbPolicy.leastLoaded(), suspects);
    this.load = LoadTracker.system();
    // The grant source needs the expedited track, whose listener wakes the queues: the queues read it when asked.
    this.queues = new WaitQueues<>(config.queueCapacity(), this::slotsOf);
    this.metrics = new GatewayMetrics(registry, routing::current, queues::lengths);
    EmergencyLedger ledger = new EmergencyLedger(config.emergencyCreationsPerWorker(), EMERGENCY_COOLDOWN_MILLIS,
        System::nanoTime);
    // The creation time the track choice expects grows with the creations under way on the worker, ours and the
    // control plane's.
    CreationTimes creationTimes = new CreationTimes(worker -> ledger.creatingOn(routing.current(), worker),
        () -> routing.current().workers().stream().map(WorkerRef::id).toList());
    this.tracks = new TrackChoice(TrackRule.Settings.DEFAULT, System::nanoTime, creationTimes, headroom::get,
        PoolHits.NONE);
    // The creator id is the data plane's: renewals list instance ids, so a restart under the same id does not keep
    // its predecessor's instances alive.
    GrpcSandboxCreator creator = new GrpcSandboxCreator(vertx, config.dataPlaneId(), config.emergencyLeaseMs());
    this.expedited = new ExpeditedTrack(vertx, creator, ledger,
        new EmergencyAccounting(load, metrics, queues::wakeAll));
    this.renewer = new LeaseRenewer(creator, expedited::held, config.emergencyLeaseMs());
    MetricFilter filter = new MetricFilter(config.metricFilterPercentile(), METRIC_FILTER_WINDOW, System::nanoTime);
    this.grants = new GrantSource(routing, balancer, expedited, tracks, filter, queues::wake,
        config.queueTimeoutMs());
    metrics.emergencyInstances(expedited::live);
    metrics.emergencyCreationLimits(ledger::creationLimits);
    metrics.creationCrowding(creationTimes);
    expedited.regularSlots(balancer::freeSlots);
    balancer.onRelease(function -> {
      queues.wake(function);
      // What the waiters left of the freed slot makes an idle Emergency Instance of the function surplus.
      if (expedited.anyIdle()) {
        Route route = routing.current().route(function);
        if (route != null) {
          expedited.trim(route);
        }
      }
    });
    routing.addListener(queues::routesSwapped);
    routing.addListener((previous, next) -> expedited.routesChanged(next));
    routing.addListener((previous, next) -> {
      if (counters.isEmpty() && suspects.isEmpty()) {
        // Nothing to forget: the set of every routed instance (10,000 in the steady scale bench) is not worth building
        // per route update; it was the bench process's largest allocator.
        return;
      }
      Set<String> live = instanceIds(next);
      counters.retainOnly(live);
      suspects.retainOnly(live);
    });
    // Any replica is a seed: the channel asks them who leads and follows the leader across failovers.
    this.channel = LeaderChannel.create(config.controlPlane());
    ControlPlaneServiceGrpc.ControlPlaneServiceStub stub = ControlPlaneServiceGrpc.newStub(channel);
    this.watcher = new RouteWatcher(vertx, channel, config.dataPlaneId(), routing, this::gatewayUrl);
    FailureNotes notes = new FailureNotes();
    this.reporter = new LoadReporter(vertx, stub, config.dataPlaneId(), load, notes::drain,
        tracks::meanExecutionMicros, config.reportIntervalMs());
    readiness.register("data-plane", () -> closing.get() != null ? "closed"
        : watcher.snapshotReceived() ? null : "no routing snapshot from the control plane yet");
    ExchangeAccounting accounting = new ExchangeAccounting(load, metrics, filter, notes, tracks, suspects);
    this.rawAdmissions = config.forwarding() == Forwarding.RAW
        ? new RawAdmissions(config, routing, queues, grants, accounting, metrics) : null;
    this.invocations = new Invocations(vertx, config, routing, queues, accounting, reporter, metrics, expedited,
        filter, notes, tracks, new AsyncAccept(vertx, AsyncInvocationServiceGrpc.newStub(channel)));
  }

  private WaitQueue.Slots<Grant> slotsOf(String function) {
    return grants.slotsOf(function);
  }

  /** Starts the gateway and the control-plane streams; completes once the HTTP port is bound. */
  public static Future<DataPlane> start(Vertx vertx, DataPlaneConfig config, PrometheusRegistry metrics,
      Readiness readiness) {
    DataPlane dataPlane;
    try {
      dataPlane = new DataPlane(vertx, config, metrics, readiness);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return dataPlane.startGateway()
        .map(v -> {
          dataPlane.watcher.start();
          dataPlane.reporter.start();
          dataPlane.renewer.start();
          dataPlane.startTrackTimers();
          LOG.atInfo().setMessage("data plane started").addKeyValue("id", config.dataPlaneId())
              .addKeyValue("http_port", dataPlane.httpPort).addKeyValue("scheme", config.gateway().scheme())
              .addKeyValue("event_loops", config.eventLoops())
              .addKeyValue("control_plane", config.controlPlane().getFirst()).log();
          return dataPlane;
        })
        .recover(failure -> dataPlane.close().transform(ignored -> Future.failedFuture(failure)));
  }

  /**
   * Where the leader's async dispatcher reaches this gateway: the bound address, or this host's name when bound to
   * every interface.
   */
  private String gatewayUrl() {
    String host = config.httpBind().host();
    if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException e) {
        host = "127.0.0.1";
      }
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return config.gateway().scheme() + "://" + host + ":" + httpPort;
  }

  /** The port the gateway bound (the real one when configured with 0). */
  public int httpPort() {
    return httpPort;
  }

  public String dataPlaneId() {
    return config.dataPlaneId();
  }

  /** The load counters of {@code function} now: what its requests' tickets hold (for diagnostics and tests). */
  LoadTracker.Counts loadCounts(String function) {
    return load.counts(function);
  }

  /** The routing table in use now (for diagnostics and tests). */
  public RoutingTable routingTable() {
    return routing.current();
  }

  /** Stops serving: fails waiting requests, closes the gateway, the streams and the channel. Idempotent. */
  public Future<Void> close() {
    Future<Void> existing = closing.get();
    if (existing != null) {
      return existing;
    }
    Promise<Void> promise = Promise.promise();
    if (!closing.compareAndSet(null, promise.future())) {
      return closing.get();
    }
    watcher.close();
    timers.forEach(vertx::cancelTimer);
    queues.failAll("the data plane is shutting down");
    List<Future<Void>> undeploys = new ArrayList<>();
    synchronized (deployments) {
      deployments.forEach(id -> undeploys.add(vertx.undeploy(id)));
    }
    // Requests in flight end with the gateway; their Emergency Instances are then deleted on the workers.
    Future.join(undeploys)
        .eventually(() -> expedited.close().timeout(EMERGENCY_DRAIN_MILLIS, TimeUnit.MILLISECONDS))
        .eventually(() -> {
          reporter.close(); // after the last usage reports were gathered
          renewer.close();
          expedited.closeChannels();
          return vertx.executeBlocking(() -> {
            GrpcChannels.close(channel);
            return null;
          });
        })
        .onComplete(ar -> {
          metrics.unregister();
          promise.complete();
        });
    return promise.future();
  }

  /**
   * Requests told to wait for a Regular slot on an estimate are looked at again while they wait (the estimate grows
   * with the requests in flight); the CPU headroom that caps creations is sampled off the event loop.
   */
  private void startTrackTimers() {
    timers.add(vertx.setPeriodic(TRACK_RECHECK_MILLIS, id -> tracks.forEachWaiting(queues::wake)));
    timers.add(vertx.setPeriodic(CPU_SAMPLE_MILLIS, id -> vertx.executeBlocking(() -> {
      headroom.loadMeasured(CpuHeadroom.systemLoad());
      return null;
    }, false)));
  }

  private Future<Void> startGateway() {
    // Verticles share one listening socket when they listen on the same port. Port 0 would give each its own
    // random port; Vert.x shares a random port among servers that listen on the same negative number, so we pick
    // one unlikely to be used by another component on this Vertx.
    int port = config.httpBind().port() != 0 ? config.httpBind().port()
        : -ThreadLocalRandom.current().nextInt(10_000, 1_000_000);
    String host = config.httpBind().host();
    GatewayVerticle first = gateway(host, port);
    return vertx.deployVerticle(first).compose(id -> {
      addDeployment(id);
      httpPort = first.port();
      int more = config.eventLoops() - 1;
      if (more == 0) {
        return Future.succeededFuture();
      }
      return vertx.deployVerticle(() -> gateway(host, port), new DeploymentOptions().setInstances(more))
          .map(rest -> {
            addDeployment(rest);
            return null;
          });
    });
  }

  private GatewayVerticle gateway(String host, int port) {
    return new GatewayVerticle(invocations, config.gateway(), host, port, rawAdmissions, config.maxRequestBodyBytes());
  }

  private void addDeployment(String id) {
    synchronized (deployments) {
      deployments.add(id);
    }
  }

  private static Set<String> instanceIds(RoutingTable table) {
    Set<String> ids = new HashSet<>();
    for (Route route : table.routes().values()) {
      for (Instance instance : route.instances()) {
        ids.add(instance.id());
      }
    }
    return ids;
  }
}
