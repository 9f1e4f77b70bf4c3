package io.pulse.controlplane;

import io.prometheus.metrics.core.metrics.Counter;
import io.pulse.common.time.Timers;
import io.pulse.controlplane.accounting.Accounting;
import io.pulse.controlplane.accounting.ExpeditedSample;
import io.pulse.controlplane.accounting.LedgerChange;
import io.pulse.controlplane.accounting.UsageSample;
import io.pulse.controlplane.autoscale.AutoscaleRunner;
import io.pulse.controlplane.autoscale.IdleGapStore;
import io.pulse.controlplane.autoscale.Kpa;
import io.pulse.controlplane.autoscale.PolicyDecider;
import io.pulse.controlplane.autoscale.ScaleTarget;
import io.pulse.controlplane.cluster.WorkerDirectory;
import io.pulse.controlplane.grpc.ControlPlaneHandler;
import io.pulse.controlplane.images.ImagePreparer;
import io.pulse.controlplane.pools.AutoPoolSizer;
import io.pulse.controlplane.pools.PoolSizing;
import io.pulse.controlplane.pools.PoolTargetSender;
import io.pulse.controlplane.status.FunctionStatus;
import io.pulse.controlplane.status.StatusBoard;
import io.pulse.controlplane.instances.CommandAnswer;
import io.pulse.controlplane.instances.InstanceLifecycle;
import io.pulse.controlplane.instances.PlanApplier;
import io.pulse.controlplane.instances.WorkerCommand;
import io.pulse.controlplane.instances.WorkerClient;
import io.pulse.controlplane.instances.WorkerListing;
import io.pulse.controlplane.load.FunctionLoadSample;
import io.pulse.controlplane.load.LoadStore;
import io.pulse.controlplane.load.LoadTotal;
import io.pulse.controlplane.membership.DrainStore;
import io.pulse.controlplane.membership.Membership;
import io.pulse.controlplane.membership.WorkerInfo;
import io.pulse.controlplane.membership.WorkerState;
import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.registry.FunctionRegistry;
import io.pulse.controlplane.registry.FunctionRegistry.FunctionEvent;
import io.pulse.controlplane.instances.InFlightReports;
import io.pulse.controlplane.placement.HostReservations;
import io.pulse.controlplane.placement.ReservationReports;
import io.pulse.controlplane.routes.FirstRouteWaits;
import io.pulse.controlplane.routes.RouteFunctions;
import io.pulse.controlplane.routes.Route;
import io.pulse.controlplane.routes.RouteSink;
import io.pulse.controlplane.routes.RouteTable;
import io.pulse.controlplane.routes.RoutesPublisher;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires membership, load, autoscaling, the instance lifecycle and route publication together. Owns all soft state;
 * every method runs on its one context (the gRPC service and the registry listener hop onto it). After any change it
 * republishes the route table and the cluster snapshot once per event-loop turn.
 */
final class Scheduler implements ControlPlaneHandler {

  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
  /** Route changes within this span go out as one message. */
  private static final long ROUTE_COALESCE_MILLIS = 5;
  /** Changes within this span are published (snapshot, route table, accounting) as one. */
  private static final long PUBLISH_COALESCE_MILLIS = 5;
  /** A publish costs O(instances): the next waits this many times as long as the last took, so it stays a share. */
  private static final long PUBLISH_COST_FACTOR = 4;
  private static final long PUBLISH_MAX_DELAY_MILLIS = 100;
  /** A bridge reports every few seconds; one silent this long is taken as gone, and its reservations with it. */
  private static final long RESERVATION_REPORT_MAX_AGE_MILLIS = 60_000;

  /** Every delay and wake-up of the term (coalescing, ticks, housekeeping, the lifecycle's deadlines). */
  private final Timers timerService;
  private final SchedulerWakeups wakeups;
  private final Context context;
  private final ControlPlaneConfig config;
  private final LongSupplier clock;
  private final FunctionRegistry registry;
  private final DrainStore drains;
  private final Membership membership;
  /** Times housekeeping found this control plane had not run for half a worker timeout ({@link Membership#watch}). */
  private final Counter pauses;
  private final InstanceLifecycle lifecycle;
  private final AutoscaleRunner autoscaler;
  private final RoutesPublisher routes;
  private final SnapshotClusterView view;
  private final Accounting accounting;
  private final StatusBoard status;
  private final ImagePreparer images;
  private final PoolTargetSender poolTargets;
  private final AutoPoolSizer autoPools;
  private final Map<String, Integer> watchers = new HashMap<>();
  private LoadStore load = LoadStore.empty();
  /** Where registered workers are written down for the next leader's sweep. */
  private WorkerDirectory workerDirectory = WorkerDirectory.NONE;
  private ReservationReports reservations = ReservationReports.NONE;
  private InFlightReports inFlight = InFlightReports.NONE;
  private final FirstRouteWaits firstRoutes = new FirstRouteWaits();
  private final PublishIndex index = new PublishIndex();
  /** Readers' worker views, rebuilt per publish only for the workers that changed. */
  private final WorkerViews workerViews = new WorkerViews();
  /** Each function's last route and what it was built from, reused while those stay the same objects. */
  private final RouteFunctions routeFunctions = new RouteFunctions();
  private boolean publishScheduled;
  /**
   * A heartbeat changed only a worker's last-heard time, which nothing else publishes: in a quiet cluster readers'
   * {@code lastHeartbeat} stood still while the worker was heard every second. Housekeeping publishes it at most once a
   * heartbeat interval.
   */
  private boolean heartbeatsUnpublished;
  private long lastPublishMillis;
  private Timers.@Nullable Timer publishTimer;
  /** How long the last publish took (a cost, hence measured, not read from the injected clock). */
  private long lastPublishNanos;
  private boolean closed;

  /**
   * @param timers run their actions on {@code context} ({@link Timers#of} called there does)
   * @param idleGaps the functions' idle gaps as earlier terms left them; this term's are added there
   */
  Scheduler(Timers timers, Context context, ControlPlaneConfig config, LongSupplier clock, long epoch,
      FunctionRegistry registry, WorkerClient workerClient, SnapshotClusterView view, ControlPlaneMetrics metrics,
      DrainStore drains, IdleGapStore idleGaps) {
    this.timerService = timers;
    this.context = context;
    this.config = config;
    this.clock = clock;
    this.registry = registry;
    this.view = view;
    this.drains = drains;
    // A drain an earlier term recorded holds from the worker's first registration in this one.
    this.membership = new Membership(epoch, config.workerTimeoutMs(), drains::drained);
    InstanceLifecycle.Settings settings = new InstanceLifecycle.Settings(epoch, config.createRetryBackoffMs(),
        config.drainMs(), 2L * config.heartbeatIntervalMs(), Math.max(30_000, 3 * config.workerTimeoutMs()));
    this.lifecycle = new InstanceLifecycle(timers, new SplittableRandom(), clock, membership, workerClient, registry::snapshot, settings,
        metrics.creations, metrics.createSeconds, this::changed);
    this.lifecycle.inUseBy(id -> inFlight.inUse(id));
    this.status = new StatusBoard(metrics.sandboxExits);
    this.pauses = metrics.pauses;
    this.lifecycle.statusBoard(status);
    this.images = new ImagePreparer(status);
    this.poolTargets = new PoolTargetSender(status::hasPools);
    this.autoscaler = new AutoscaleRunner(new PolicyDecider(new Kpa(config.kpa())::decide,
        new Kpa(config.dualTrackKpa(), config.dualTrackIdleKeepAliveRule())::decide,
        config.defaultPolicy()),
        new ScaleTarget() {
      @Override
      public int readyInstances(String function) {
        return lifecycle.readyInstances(function);
      }

      @Override
      public int instances(String function) {
        return lifecycle.instances(function);
      }

      @Override
      public void scale(String function, int desired) {
        lifecycle.scale(function, desired);
      }
    }, config.kpa(), metrics.scaleDecisions, idleGaps);
    this.routes = new RoutesPublisher(timerService, ROUTE_COALESCE_MILLIS);
    this.accounting = new Accounting(metrics.accounting, clock.getAsLong());
    this.autoPools = new AutoPoolSizer(PoolSizing.Settings.DEFAULTS);
    accounting.observe((change, now) -> {
      switch (change) {
        case LedgerChange.Created created -> autoPools.created(created.function(), created.workerId(), now);
        case LedgerChange.Ready ready -> {
          autoPools.ready(ready.function(), ready.creationSeconds());
          autoscaler.created(ready.function(), Math.round(ready.creationSeconds() * 1e6), now);
        }
        case LedgerChange.Ended ended -> { }
      }
    });
    view.accountingSource(metrics.accounting::current);
    view.coldStartSource(autoscaler::coldStart);
    // Housekeeping wakes at the next worker expiry, so a dead worker is declared at its timeout, not up to a period
    // later; the period stays as the safety net (and accounting's folding).
    long housekeepingMax = Math.max(20, Math.min(config.tickMs(), config.workerTimeoutMs() / 4));
    this.wakeups = new SchedulerWakeups(timers, clock, config.tickMs(), housekeepingMax, this::tick,
        this::housekeeping, membership::nextExpiryMillis);
  }

  /** The term's only sender to workers (the REST API's log reads go through it too). */
  PlanApplier applier() {
    return lifecycle.applier();
  }

  AutoscaleRunner autoscaler() {
    return autoscaler;
  }

  /**
   * Starts deleting sandboxes of unknown functions again (false: a new leader whose registry merge is still under
   * way leaves them alone, since the merge may bring their functions). On the context.
   */
  void registryComplete(boolean complete) {
    lifecycle.registryComplete(complete);
    if (complete) {
      // The merge may have brought drains (or resumes) this replica had not heard of when its workers registered.
      applyDrains();
    }
  }

  /** Subscribes to the registry and starts the timers. On the context. */
  void start() {
    registry.subscribe(event -> context.runOnContext(v -> onFunctionEvent(event)));
    wakeups.start();
    // Functions that existed before we subscribed (a registry handed over already filled).
    registry.snapshot().values().forEach(this::onFunctionUpserted);
    // At once, not coalesced: the term's route streams open right after start() and must never begin empty.
    publish(true);
  }

  /** Stops deciding, deletes the instances on workers (bounded), ends route streams. On the context. */
  Future<Void> shutdown(long deadlineMillis) {
    closed = true;
    wakeups.stop();
    return lifecycle.shutdown(deadlineMillis).onComplete(ar -> {
      routes.closeAll();
      lifecycle.applier().close();
    });
  }

  /**
   * Stops deciding without touching workers: a replica that stops leading leaves the instances to the next leader
   * (whose higher epoch fences any command this term still has in flight). On the context.
   */
  void abandon() {
    closed = true;
    lifecycle.applier().abandon();
    wakeups.stop();
    routes.closeAll();
    lifecycle.applier().close();
  }

  /**
   * Starts this term by asking every worker an earlier leader knew what it runs ({@code ListSandboxes}), and adopts
   * those that answer as if they had registered; workers registered from now on are written to {@code directory}.
   * Without it a new leader learns a worker only when the worker's heartbeat fails over and it registers again (about
   * a heartbeat period later). A worker that does not answer is dropped from the directory: if it lives, it registers
   * by itself. On the context, after {@link #start()}; completes once every listed worker answered or failed.
   */
  Future<Void> sweep(WorkerDirectory directory) {
    workerDirectory = directory;
    return Future.fromCompletionStage(directory.all(), context).compose(listed -> {
      if (closed) {
        return Future.succeededFuture();
      }
      LOG.atInfo().setMessage("worker sweep").addKeyValue("listed", listed.size())
          .addKeyValue("registered", membership.all().size()).log();
      List<Future<?>> answers = new ArrayList<>();
      for (WorkerInfo worker : listed) {
        if (membership.get(worker.id()).isPresent()) {
          continue; // registered already
        }
        answers.add(lifecycle.applier().list(worker).andThen(answer -> adoptSwept(worker, answer)));
      }
      return Future.join(answers).<Void>mapEmpty().otherwiseEmpty();
    }, failure -> {
      LOG.atWarn().setMessage("worker sweep skipped: directory unreadable")
          .addKeyValue("error", failure.toString()).log();
      return Future.succeededFuture();
    });
  }

  private void adoptSwept(WorkerInfo worker, io.vertx.core.AsyncResult<WorkerListing> answer) {
    if (closed || membership.get(worker.id()).isPresent()) {
      return; // the term ended, or the worker registered by itself meanwhile
    }
    if (answer.failed()) {
      LOG.atInfo().setMessage("swept worker did not answer; left to register by itself")
          .addKeyValue("worker", worker.id()).addKeyValue("error", answer.cause().toString()).log();
      workerDirectory.remove(worker.id());
      return;
    }
    LOG.atInfo().setMessage("worker adopted by the new leader's sweep").addKeyValue("worker", worker.id())
        .addKeyValue("sandboxes", answer.result().sandboxes().size()).log();
    registerWorker(worker, answer.result());
  }

  // --- ControlPlaneHandler (gRPC), all on the context ---

  @Override
  public Registration registerWorker(WorkerInfo worker, WorkerListing listing) {
    boolean known = membership.register(worker, clock.getAsLong()).isPresent();
    workerDirectory.put(worker);
    LOG.atInfo().setMessage(known ? "worker re-registered" : "worker registered").addKeyValue("worker", worker.id())
        .addKeyValue("address", worker.address()).addKeyValue("sandboxes", listing.sandboxes().size()).log();
    adopted(lifecycle.onWorkerReport(worker.id(), listing));
    if (membership.isDraining(worker.id())) {
      lifecycle.drainingChanged(worker.id()); // adopted on a drained worker: moved elsewhere, as at the drain
    }
    accounting.workerListing(worker.id(), AccountingFacts.emergency(listing.sandboxes()), clock.getAsLong());
    if (config.prepullImages()) {
      send(images.workerJoined(worker, registry.snapshot().values(), clock.getAsLong()), this::imageAnswered);
    }
    send(poolTargets.workerJoined(worker, registry.snapshot().values()), this::poolTargetAnswered);
    autoPools.workerJoined(worker.id());
    changed();
    // New capacity: functions waiting for a place may go now.
    lifecycle.capacityAdded();
    return new Registration(membership.epoch(), config.heartbeatIntervalMs());
  }

  @Override
  public HeartbeatAnswer heartbeat(String workerId, WorkerListing listing) {
    boolean registered = membership.heartbeat(workerId, clock.getAsLong());
    if (registered) {
      heartbeatsUnpublished = true;
      adopted(lifecycle.onWorkerReport(workerId, listing));
      accounting.workerListing(workerId, AccountingFacts.emergency(listing.sandboxes()), clock.getAsLong());
    }
    return new HeartbeatAnswer(registered, membership.epoch());
  }

  @Override
  public void reportLoad(String dataPlaneId, List<FunctionLoadSample> functions) {
    long now = clock.getAsLong();
    load = load.report(dataPlaneId, now, functions);
    Map<String, FunctionRecord> known = registry.snapshot();
    for (FunctionRecord function : known.values()) {
      autoscaler.observe(function, load.total(function.name()), now);
    }
    for (FunctionLoadSample sample : functions) {
      FunctionRecord function = known.get(sample.function());
      LoadTotal total = load.total(sample.function());
      if (function != null && autoscaler.needsImmediateDecision(sample.function(), total)) {
        LOG.atInfo().setMessage("scale from zero").addKeyValue("function", sample.function())
            .addKeyValue("queued", total.queued()).log();
        firstRoutes.awaiting(sample.function(), now);
        autoscaler.decide(function, total, now);
      }
    }
  }

  @Override
  public void reportUsage(String dataPlaneId, List<UsageSample> usage, List<ExpeditedSample> expedited) {
    accounting.usage(usage, expedited, clock.getAsLong());
  }

  @Override
  public void watchRoutes(String dataPlaneId, RouteSink sink) {
    watchers.merge(dataPlaneId, 1, Integer::sum);
    routes.subscribe(sink);
  }

  @Override
  public void routeSinkReady(RouteSink sink) {
    routes.onReady(sink);
  }

  @Override
  public void reportFailures(String dataPlaneId, List<FunctionStatus.Failure> failures) {
    for (FunctionStatus.Failure failure : failures) {
      if (registry.get(failure.function()).isPresent()) {
        status.failed(failure);
      }
    }
    changed();
  }

  @Override
  public void reportPools(String workerId, List<FunctionStatus.Pool> pools) {
    if (!membership.isAlive(workerId)) {
      return;
    }
    accounting.pools(workerId, AccountingFacts.pools(workerId, pools, registry.snapshot()), clock.getAsLong());
    lifecycle.poolsReported(workerId, pools);
    if (status.pools(workerId, pools)) {
      changed();
    }
  }

  @Override
  public void reportInFlight(String dataPlaneId, Map<String, Integer> inFlightByInstance) {
    inFlight = inFlight.report(dataPlaneId, inFlightByInstance);
  }

  @Override
  public void hostReservations(String bridgeId, Map<String, HostReservations.Reserved> hosts) {
    reservations = reservations.report(bridgeId, hosts, clock.getAsLong());
    lifecycle.hostReservations(reservations.total());
  }

  @Override
  public void routesApplied(String dataPlaneId, long version) {
    routes.acknowledged(dataPlaneId, version);
  }

  /**
   * Starts (true) or ends (false) draining a worker: while draining nothing new is placed there, data planes stop
   * creating Emergency Instances there, and its Regular Instances are replaced elsewhere before being removed.
   *
   * @return false when the worker is unknown to this term
   */
  Future<Boolean> setDraining(String workerId, boolean draining) {
    Promise<Boolean> known = Promise.promise();
    context.runOnContext(v -> known.complete(!closed
        && (membership.knows(workerId) || drains.drained().contains(workerId))));
    // Recorded first (durable, replicated), applied after: a failover in between leaves the drain to the next term.
    return known.future().compose(yes -> !yes ? Future.succeededFuture(false)
        : drains.setDraining(workerId, draining).compose(recorded -> {
          Promise<Boolean> applied = Promise.promise();
          context.runOnContext(v -> {
            if (!closed) {
              applyDrains();
            }
            applied.complete(true);
          });
          return applied.future();
        }));
  }

  /**
   * Acts on what the drain store says now (membership's one source of draining; a worker this term has not seen
   * registers as it says). On the context.
   */
  private void applyDrains() {
    boolean resumed = false;
    for (WorkerState state : membership.syncDrains()) {
      LOG.atInfo().setMessage(state.draining() ? "worker draining" : "worker resumed").addKeyValue("worker", state.id())
          .log();
      changed();
      if (state.draining()) {
        lifecycle.drainingChanged(state.id());
      } else {
        resumed = true;
      }
    }
    if (resumed) {
      lifecycle.capacityAdded();
    }
  }

  /**
   * Completes once every connected data plane routes {@code function} at {@code revision} or later (or no longer
   * routes it, for a negative revision): true, or false when {@code timeoutMillis} passed first.
   */
  Future<Boolean> awaitRouted(String function, long revision, long timeoutMillis) {
    Promise<Boolean> answer = Promise.promise();
    context.runOnContext(v -> routes.awaitPropagation(table -> {
      Route route = table.functions().get(function);
      return revision < 0 ? route == null : route != null && route.function().revision() >= revision;
    }, timeoutMillis).onComplete(answer));
    return answer.future();
  }

  @Override
  public void routeSinkClosed(String dataPlaneId, RouteSink sink) {
    routes.unsubscribe(sink);
    Integer left = watchers.computeIfPresent(dataPlaneId, (k, n) -> n > 1 ? n - 1 : null);
    if (left == null) {
      // No stream left: whatever it reported is no longer load we can trust.
      load = load.remove(dataPlaneId);
      inFlight = inFlight.without(dataPlaneId);
    }
  }

  // --- internals ---

  private void adopted(Set<String> functions) {
    long now = clock.getAsLong();
    functions.forEach(function -> autoscaler.noteActivity(function, now));
  }

  private void onFunctionEvent(FunctionEvent event) {
    if (closed) {
      return; // the registry cannot unsubscribe us; it may outlive this control plane
    }
    switch (event) {
      case FunctionEvent.Upserted upserted -> {
        // Act on the registry's current record: events may be stale by the time they hop here.
        registry.get(upserted.function().name()).ifPresent(this::onFunctionUpserted);
      }
      case FunctionEvent.Deleted deleted -> {
        String name = deleted.function().name();
        if (registry.get(name).isEmpty()) {
          // Before the status forgets its pools.
          send(poolTargets.functionDeleted(deleted.function(), membership.alive()), this::poolTargetAnswered);
          autoPools.forget(name);
          status.forgetFunction(name);
          autoscaler.forget(name);
          firstRoutes.forget(name);
          lifecycle.removeFunction(name);
        }
      }
    }
    changed();
  }

  private void onFunctionUpserted(FunctionRecord function) {
    if (config.prepullImages()) {
      send(images.functionUpserted(function, membership.alive(), clock.getAsLong()), this::imageAnswered);
    }
    send(poolTargets.functionUpserted(function, membership.alive()), this::poolTargetAnswered);
    // Decide at once so minScale and a new revision do not wait for the tick.
    autoscaler.decide(function, load.total(function.name()), clock.getAsLong());
    lifecycle.reconcile(function.name());
  }

  private void tick() {
    long now = clock.getAsLong();
    load = load.expire(now, 3 * config.reportIntervalMs());
    ReservationReports fresh = reservations.expire(now, RESERVATION_REPORT_MAX_AGE_MILLIS);
    if (fresh != reservations) {
      reservations = fresh;
      lifecycle.hostReservations(fresh.total());
    }
    autoscaler.tick(registry.snapshot(), load::total, now);
    firstRoutes.retain(function -> load.total(function).queued() > 0);
    lifecycle.reconcileAll();
    send(autoPools.tick(registry.snapshot().values(), membership.alive(), status::pools, now), autoPools::answered);
    // Retry deadlines of commands that failed: looked at every tick.
    send(poolTargets.due(now), this::poolTargetAnswered);
    send(poolTargets.refresh(registry.snapshot().values(), membership.alive(), now), this::poolTargetAnswered);
    if (config.prepullImages()) {
      List<WorkerCommand.PrepareImage> again = images.due(now);
      send(again, this::imageAnswered);
      if (!again.isEmpty()) {
        changed(); // their status says pulling again
      }
    }
  }

  /** What images/ and pools/ decided goes to workers through the lifecycle's applier, the only sender. */
  private <C extends WorkerCommand> void send(List<C> commands, PlanApplier.CommandAnswers<? super C> answers) {
    if (!commands.isEmpty()) {
      lifecycle.applier().send(commands, answers);
    }
  }

  private void imageAnswered(WorkerCommand.PrepareImage command, CommandAnswer answer) {
    if (!closed && images.answered(command, answer, clock.getAsLong())) {
      changed();
    }
  }

  private void poolTargetAnswered(WorkerCommand.SetPoolTarget command, CommandAnswer answer) {
    if (!closed) {
      poolTargets.answered(command, answer, clock.getAsLong());
    }
  }

  private void housekeeping() {
    long now = clock.getAsLong();
    long unwatched = membership.watch(now);
    if (unwatched > 0) {
      pauses.inc();
      LOG.atWarn().setMessage("control plane did not run; workers' silence meanwhile excused for a worker timeout")
          .addKeyValue("unwatchedMs", unwatched).log();
    }
    for (WorkerState dead : membership.expire(now)) {
      LOG.atWarn().setMessage("worker declared dead").addKeyValue("worker", dead.id())
          .addKeyValue("silentMs", now - dead.lastHeartbeatMillis()).log();
      lifecycle.onWorkerDead(dead.id());
      poolTargets.forgetWorker(dead.id());
      status.forgetWorker(dead.id());
      workerDirectory.remove(dead.id());
      accounting.workerGone(dead.id(), clock.getAsLong());
      changed();
    }
    lifecycle.housekeeping();
    accounting.tick(now);
    if (heartbeatsUnpublished && now - lastPublishMillis >= config.heartbeatIntervalMs()) {
      changed();
    }
  }

  private void changed() {
    List<FirstRouteWaits.Reached> reached = firstRoutes.reached(lifecycle::readyInstances, clock.getAsLong());
    if (!reached.isEmpty()) {
      // A request waits in a data plane's queue for this instance: no coalescing delay on its route.
      if (publishScheduled) {
        if (publishTimer != null) {
          publishTimer.cancel();
        }
        publishScheduled = false;
      }
      publish(true);
      reached.forEach(r -> LOG.atInfo().setMessage("first route published").addKeyValue("function", r.function())
          .addKeyValue("sinceScaleFromZeroMs", r.waitedMillis()).log());
      return;
    }
    if (!publishScheduled) {
      publishScheduled = true;
      // Coalesced over a few milliseconds, not one event-loop turn: under a burst of creations every answer is a
      // turn of its own, and rebuilding the snapshot, route table and ledger per answer dominated the leader's time.
      // With thousands of instances a publish takes milliseconds: spacing publishes by their cost keeps a burst of
      // creations from spending most of the context's time republishing.
      long costMillis = PUBLISH_COST_FACTOR * lastPublishNanos / 1_000_000;
      publishTimer = timerService.schedule(Math.clamp(costMillis, PUBLISH_COALESCE_MILLIS, PUBLISH_MAX_DELAY_MILLIS),
          () -> publish(false));
    }
  }

  /** @param now send the routes at once rather than after the publisher's coalescing delay */
  private void publish(boolean now) {
    publishScheduled = false;
    if (closed) {
      return; // the term ended: its view must not overwrite the next one's
    }
    heartbeatsUnpublished = false;
    lastPublishMillis = clock.getAsLong();
    long started = System.nanoTime();
    // Only what changed since the last publish is rebuilt: the instances of changed functions.
    Set<String> changed = lifecycle.takeChanged();
    accounting.regularInstances(changed, index.update(changed, lifecycle::instancesOf), clock.getAsLong());
    Map<String, FunctionStatus> statuses = status.snapshot();
    Map<String, Route> functions = routeFunctions.of(registry.snapshot(), index::ready, config.defaultPolicy(),
        statuses);
    // Data planes create Emergency Instances only on schedulable workers: a draining one gets none.
    RouteTable table = new RouteTable(functions, membership.schedulable(), index.allocations().loads());
    if (now) {
      routes.updateNow(table);
    } else {
      routes.update(table);
    }
    view.publish(ClusterSnapshot.of(index.views(), workerViews.of(membership.all(), index.allocations()),
        config.replicaId(), membership.epoch(), statuses));
    lastPublishNanos = System.nanoTime() - started;
  }
}
