package io.pulse.worker;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pulse.api.v1.WorkerDescriptor;
import io.pulse.common.admin.Readiness;
import io.pulse.common.grpc.GrpcChannels;
import io.pulse.common.grpc.GrpcServers;
import io.pulse.common.leader.LeaderChannel;
import io.pulse.common.net.HostPort;
import io.pulse.worker.membership.ControlPlaneMembership;
import io.pulse.worker.sandbox.Resources;
import io.pulse.worker.sandbox.Sandbox;
import io.pulse.worker.sandbox.SandboxRuntime;
import io.pulse.worker.sandbox.containerd.pool.PoolBudget;
import io.pulse.worker.sandbox.containerd.pool.PoolStatus;
import io.pulse.worker.sandbox.containerd.pool.PooledSandboxRuntime;
import io.pulse.worker.sandbox.fake.Distribution;
import io.pulse.worker.sandbox.fake.FakeSandboxRuntime;
import io.pulse.worker.sandbox.process.ProcessRuntimeSettings;
import io.pulse.worker.sandbox.process.ProcessSandboxRuntime;
import io.pulse.worker.service.EpochFile;
import io.pulse.worker.service.EpochGuard;
import io.pulse.worker.service.GrpcWorkerService;
import io.pulse.worker.service.PoolTargets;
import io.pulse.worker.service.SandboxCommands;
import io.pulse.worker.service.SandboxProtos;
import io.pulse.worker.service.WorkerMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker daemon: recovers what a previous run left, serves {@code WorkerService} over gRPC and keeps itself
 * registered with the control plane. {@link #close()} deletes every sandbox it runs.
 */
public final class WorkerDaemon {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerDaemon.class);
  private static final long GRPC_STOP_GRACE_MS = 1_000;
  /** How often expired Emergency-Instance leases are looked for: a fraction of any sensible lease (seconds). */

  private final Vertx vertx;
  private final WorkerConfig config;
  private final SandboxRuntime runtime;
  private final WorkerMetrics metrics;
  private final Server server;
  /** Read once: grpc-java refuses getPort() after shutdown, and callers may still ask. */
  private final int grpcPort;
  private final ManagedChannel channel;
  private final ControlPlaneMembership membership;
  private final EpochFile epochFile;
  private final Readiness readiness;
  private final long reaper;
  private final AtomicBoolean closing = new AtomicBoolean();
  private final Promise<Void> closed = Promise.promise();

  private WorkerDaemon(Vertx vertx, WorkerConfig config, SandboxRuntime runtime, WorkerMetrics metrics, Server server,
      ManagedChannel channel, ControlPlaneMembership membership, EpochFile epochFile, Readiness readiness,
      long reaper) {
    this.vertx = vertx;
    this.reaper = reaper;
    this.config = config;
    this.runtime = runtime;
    this.metrics = metrics;
    this.server = server;
    this.grpcPort = server.getPort();
    this.channel = channel;
    this.membership = membership;
    this.epochFile = epochFile;
    this.readiness = readiness;
  }

  public static Future<WorkerDaemon> start(Vertx vertx, WorkerConfig config, PrometheusRegistry registry,
      Readiness readiness) {
    return start(vertx, config, ContainerdOptions.defaults(), registry, readiness);
  }

  /** As {@link #start(Vertx, WorkerConfig, PrometheusRegistry, Readiness)}, with options for the containerd runtime. */
  public static Future<WorkerDaemon> start(Vertx vertx, WorkerConfig config, ContainerdOptions containerd,
      PrometheusRegistry registry, Readiness readiness) {
    SandboxRuntime runtime;
    try {
      runtime = config.runtime().equals("containerd") ? containerdRuntime(config, containerd)
          : runtime(vertx, config, containerd.pool());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return Future.fromCompletionStage(runtime.recover(), vertx.getOrCreateContext())
        .compose(adopted -> vertx.executeBlocking(() -> assemble(vertx, config, registry, readiness, runtime, adopted)))
        .recover(failure -> Future.fromCompletionStage(runtime.close())
            .transform(ignored -> Future.failedFuture(failure)));
  }

  /** Blocking (binds the gRPC port): runs on a worker thread. Undoes its own steps when one fails. */
  private static WorkerDaemon assemble(Vertx vertx, WorkerConfig config, PrometheusRegistry registry,
      Readiness readiness, SandboxRuntime runtime, List<Sandbox> adopted) {
    // CPU as requested-against-overcommitted (a weight, not a hard share): the ledger admits what placement admits.
    Resources capacity = config.schedulable().minus(poolHeld(runtime));
    EpochFile epochFile = EpochFile.open(config.dataDir());
    EpochGuard epochs = new EpochGuard(epochFile.initial(), epochFile::save);
    WorkerMetrics metrics;
    try {
      java.util.function.Supplier<List<PoolStatus>> pools = List::of;
      if (runtime instanceof PooledSandboxRuntime<?> pooled) {
        pools = pooled.pool()::status;
      }
      metrics = WorkerMetrics.register(registry, runtime::list, pools);
      if (runtime instanceof PooledSandboxRuntime<?> pooled) {
        pooled.countClaimsIn(metrics);
      }
    } catch (RuntimeException e) {
      epochFile.close();
      throw e;
    }
    Server server;
    SandboxCommands commands;
    try {
      commands = new SandboxCommands(runtime, capacity, config.emergencyReserve(), epochs, metrics);
      commands.adopt(adopted);
      PoolTargets targets = PoolTargets.NONE;
      if (runtime instanceof PooledSandboxRuntime<?> pooled) {
        targets = pooled.pool()::target;
      }
      server = GrpcServers.start(config.grpcBind(), List.of(new GrpcWorkerService(config.workerId(), commands,
          targets)));
    } catch (RuntimeException e) {
      metrics.unregister();
      epochFile.close();
      throw e;
    }
    HostPort advertised = new HostPort(config.advertiseHost(), server.getPort());
    WorkerDescriptor descriptor = WorkerDescriptor.newBuilder()
        .setWorkerId(config.workerId())
        .setAddress(advertised.toString())
        .setHostname(WorkerConfig.hostname())
        .setCapacity(SandboxProtos.resources(config.regularCapacity().minus(poolHeld(runtime))))
        .setEmergencyReserve(SandboxProtos.resources(config.emergencyReserve()))
        .setRuntime(runtime.name())
        .setPoolMembers(poolBudget(runtime).members())
        .setPoolMemoryMib((int) Math.min(Integer.MAX_VALUE, poolBudget(runtime).memoryMiB()))
        .build();
    // Any replica is a seed: the channel asks them who leads and follows the leader across failovers.
    String target = config.controlPlane().stream().map(HostPort::toString)
        .collect(java.util.stream.Collectors.joining(","));
    ManagedChannel channel = LeaderChannel.create(config.controlPlane());
    ControlPlaneMembership membership = ControlPlaneMembership.start(vertx, channel, target, descriptor,
        () -> listing(commands), () -> poolReports(runtime), epochs::observe, config.heartbeatIntervalMs());
    readiness.register("worker", () -> membership.registered() ? null
        : "not registered with the control plane at " + target);
    LOG.atInfo().setMessage("worker daemon started").addKeyValue("worker", config.workerId())
        .addKeyValue("grpc", advertised).addKeyValue("runtime", runtime.name())
        .addKeyValue("cpuMillis", config.cpuMillis()).addKeyValue("cpuOvercommit", config.cpuOvercommit())
        .addKeyValue("schedulableCpuMillis", capacity.cpuMillis()).addKeyValue("memoryMiB", capacity.memoryMiB())
        .addKeyValue("adopted", adopted.size()).addKeyValue("highestEpoch", epochFile.initial()).log();
    // A scan of the leases in memory; the deletions it starts run on the runtime's threads.
    long reaper = vertx.setPeriodic(SandboxCommands.REAP_PERIOD_MS, id -> commands.reapExpired());
    return new WorkerDaemon(vertx, config, runtime, metrics, server, channel, membership, epochFile, readiness,
        reaper);
  }

  private static SandboxRuntime containerdRuntime(WorkerConfig config, ContainerdOptions containerd) {
    // A runtime that cannot run here fails the start saying why, not every creation later.
    containerd.ociRuntime().unusableBecause().ifPresent(why -> {
      throw new IllegalStateException("--oci-runtime " + containerd.ociRuntime().binary() + ": " + why);
    });
    LOG.atInfo().setMessage("containerd runtime").addKeyValue("ociRuntime", containerd.ociRuntime().binary()).log();
    var runtime = new io.pulse.worker.sandbox.containerd.ContainerdSandboxRuntime(containerd.settings(config));
    return containerd.pool().members() == 0 ? runtime
        : PooledSandboxRuntime.of(runtime, containerd.pool(), java.time.Clock.systemUTC());
  }

  /** What the pools may hold is not for instances: kept out of the ledger and of the advertised capacity. */
  private static Resources poolHeld(SandboxRuntime runtime) {
    return runtime instanceof PooledSandboxRuntime<?> pooled
        ? new Resources(0, (int) Math.min(Integer.MAX_VALUE, pooled.pool().budget().memoryMiB())) : Resources.NONE;
  }

  /** What the pools may hold, told to the leader, which sizes automatic pools within it. */
  private static PoolBudget poolBudget(SandboxRuntime runtime) {
    return runtime instanceof PooledSandboxRuntime<?> pooled ? pooled.pool().budget() : PoolBudget.NONE;
  }

  /** {@code pool}: the fake runtime simulates containerd's pools within it (trace replays exercise the same logic). */
  private static SandboxRuntime runtime(Vertx vertx, WorkerConfig config, PoolBudget pool) {
    return switch (config.runtime()) {
      case "fake" -> {
        FakeSandboxRuntime fake = new FakeSandboxRuntime(vertx, config.advertiseHost(), config.fakeReadyDelayMs() > 0
            ? config.fake().withColdStartMs(new Distribution.Constant(config.fakeReadyDelayMs())) : config.fake(),
            config.portRangeStart(), config.portRangeEnd());
        yield pool.members() == 0 ? fake : PooledSandboxRuntime.of(fake, pool, java.time.Clock.systemUTC());
      }
      case "process" -> new ProcessSandboxRuntime(new ProcessRuntimeSettings(config.dataDir(),
          config.advertiseHost(), config.portRangeStart(), config.portRangeEnd(), config.stopGraceMs(),
          config.defaultReadinessTimeoutMs(), config.logMaxBytes()));
      default -> throw new IllegalArgumentException("runtime must be one of " + WorkerConfig.RUNTIMES);
    };
  }

  private static List<io.pulse.api.v1.PoolReport> poolReports(SandboxRuntime runtime) {
    return runtime instanceof PooledSandboxRuntime<?> pooled
        ? pooled.pool().status().stream().map(SandboxProtos::pool).toList() : List.of();
  }

  private static ControlPlaneMembership.Listing listing(SandboxCommands commands) {
    SandboxCommands.Listing listing = commands.listing();
    return new ControlPlaneMembership.Listing(listing.generation(),
        listing.sandboxes().stream().map(SandboxProtos::info).toList());
  }

  /**
   * Stops registering and heartbeating while the sandboxes keep running and the gRPC server keeps answering: for a
   * process that stops its own control plane next and still needs this worker to delete its instances. Idempotent.
   */
  public Future<Void> leaveControlPlane() {
    return membership.stop();
  }

  /** Stops heartbeats and the gRPC server, then deletes every sandbox. Idempotent. */
  public Future<Void> close() {
    if (!closing.compareAndSet(false, true)) {
      return closed.future();
    }
    readiness.register("worker", () -> "worker daemon closed");
    vertx.cancelTimer(reaper);
    membership.stop()
        .compose(v -> vertx.executeBlocking(() -> {
          GrpcServers.stop(server, GRPC_STOP_GRACE_MS);
          GrpcChannels.close(channel);
          epochFile.close();
          return null;
        }))
        .transform(ignored -> Future.fromCompletionStage(runtime.close()))
        .onComplete(ar -> {
          metrics.unregister();
          LOG.atInfo().setMessage("worker daemon stopped").addKeyValue("worker", config.workerId()).log();
          if (ar.succeeded()) {
            closed.complete();
          } else {
            closed.fail(ar.cause());
          }
        });
    return closed.future();
  }

  /** The port the WorkerService listens on (useful when bound to port 0). */
  public int grpcPort() {
    return grpcPort;
  }

  public String workerId() {
    return config.workerId();
  }

  /** True once the control plane accepted this worker. */
  public boolean registered() {
    return membership.registered();
  }

  /** Sandboxes this worker runs now. */
  public List<Sandbox> sandboxes() {
    return runtime.list();
  }
}
