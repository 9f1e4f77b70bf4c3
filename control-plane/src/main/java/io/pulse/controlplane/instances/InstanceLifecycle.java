package io.pulse.controlplane.instances;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.pulse.common.http.FailureRefs;
import io.pulse.common.time.Timers;
import io.pulse.controlplane.membership.Membership;
import io.pulse.controlplane.membership.WorkerInfo;
import io.pulse.controlplane.membership.WorkerState;
import io.pulse.controlplane.placement.HostReservations;
import io.pulse.controlplane.placement.PlacementChain;
import io.pulse.controlplane.placement.PlacementIndex;
import io.pulse.controlplane.placement.ResourceRequest;
import io.pulse.controlplane.placement.RevisionKey;
import io.pulse.controlplane.placement.TieBreak;
import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.registry.FunctionSpec;
import io.pulse.controlplane.status.FunctionStatus;
import io.pulse.controlplane.status.StatusBoard;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle's coordinator: folds events (scale decisions, worker reports and deaths, drains, creation answers,
 * due deadlines) into the instance table and its deadlines, asks {@link LifecyclePlanner} and {@link SandboxReconciler}
 * what to do, and hands the resulting {@link Plan} to the {@link PlanApplier}, the only code that talks to workers.
 * Backoffs, drain bounds and tombstones are {@link Deadlines} in its state, woken by one timer. Every method runs on
 * the control plane's context; answers come back to it. Whatever changes what routes or views show calls
 * {@code onChange}.
 */
public final class InstanceLifecycle {

  private StatusBoard status = new StatusBoard(null);
  /** False until a new leader's registry is known to hold every function: unknown sandboxes are left alone. */
  private boolean registryComplete = true;
  /** Whether a data plane still runs requests on an instance (a drained one is deleted only when not). */
  private java.util.function.Predicate<String> inUse = id -> false;
  private static final Logger LOG = LoggerFactory.getLogger(InstanceLifecycle.class);

  /**
   * @param epoch stamped on every command
   * @param createRetryBackoffMillis wait after a failed creation before creating for that function again
   * @param drainMillis time between taking an instance out of routing and deleting it
   * @param reportGraceMillis how long a freshly ready instance may be missing from the listing of a worker that does
   *     not stamp listing generations (with them, a listing taken before the instance was recorded never drops it)
   * @param tombstoneMillis how long removed ids are remembered so a stale listing does not bring them back
   */
  public record Settings(long epoch, long createRetryBackoffMillis, long drainMillis, long reportGraceMillis,
      long tombstoneMillis) {}

  private final LongSupplier clock;
  private final Membership membership;
  private final Supplier<Map<String, FunctionRecord>> functions;
  private final Settings settings;
  private final Counter creations;
  private final Histogram createSeconds;
  private final Runnable onChange;
  private final RandomGenerator random;
  private final PlanApplier applier;
  private final Timers timers;

  /** Where new instances go: follows membership, the table and host reservations, so placing scans no worker list. */
  private final PlacementIndex placement;
  private final InstanceTable table;
  private final Map<String, Integer> desired = new HashMap<>();
  /** Backoffs, drain checks and tombstones: the times this coordinator waits for. */
  private final Deadlines deadlines = new Deadlines();
  /** Per draining instance: when its drain stops waiting for requests in flight. */
  private final Map<String, Long> drainGiveUpAt = new HashMap<>();
  /** Functions backing off because no worker had room: new capacity ends their wait at once. */
  private final Set<String> waitingForCapacity = new HashSet<>();
  private final Map<String, Long> startedNanos = new HashMap<>();
  /**
   * Each function's timeoutSeconds as last seen in the registry: a deleted function's record is gone, and its instances
   * still drain for that long (requests in flight finish, like after a revision change).
   */
  private final Map<String, Integer> timeoutSeconds = new HashMap<>();
  private final Map<String, Promise<Void>> closeWaiters = new HashMap<>();
  /** The commands decided while folding the current event; handed to the applier as one plan at its end. */
  private final List<Plan.Create> plannedCreates = new ArrayList<>();
  private final List<Plan.Delete> plannedDeletes = new ArrayList<>();
  private boolean closing;

  /**
   * @param creations counter labelled by {@code result}: success, failure, no_capacity
   * @param createSeconds time from the create command to readiness
   */
  public InstanceLifecycle(Vertx vertx, LongSupplier clock, Membership membership, WorkerClient workers,
      Supplier<Map<String, FunctionRecord>> functions, Settings settings, Counter creations,
      Histogram createSeconds, Runnable onChange) {
    this(Timers.of(vertx), new SplittableRandom(), clock, membership, workers, functions, settings, creations,
        createSeconds, onChange);
  }

  /**
   * @param timers the one wake-up timer (the earliest deadline)
   * @param random makes instance ids (seeded in the simulation, so that a run replays)
   */
  public InstanceLifecycle(Timers timers, RandomGenerator random, LongSupplier clock, Membership membership,
      WorkerClient workers, Supplier<Map<String, FunctionRecord>> functions, Settings settings, Counter creations,
      Histogram createSeconds, Runnable onChange) {
    this.clock = clock;
    this.membership = membership;
    this.functions = functions;
    this.settings = settings;
    this.creations = creations;
    this.createSeconds = createSeconds;
    this.onChange = onChange;
    this.random = random;
    this.timers = timers;
    this.applier = new PlanApplier(workers, settings.epoch(), timers, clock, new PlanApplier.Answers() {
      @Override
      public void created(Plan.Create create, CreateAnswer answer) {
        onCreateAnswer(create, answer);
        flush();
      }

      @Override
      public void deleted(Plan.Delete delete) {
        onDeleted(delete);
        flush();
      }

      @Override
      public void wake() {
        housekeeping();
      }
    });
    // Ties are broken by the term's epoch: equal workers are taken in another order each term, replayably.
    this.placement = new PlacementIndex(PlacementChain.standard(TieBreak.seeded(settings.epoch())));
    this.table = new InstanceTable(placement::allocate);
    membership.all().forEach(this::workerChanged);
    membership.listen(this::workerChanged);
  }

  private void workerChanged(WorkerState state) {
    if (state.alive()) {
      WorkerInfo info = state.info();
      placement.putWorker(info.id(), info.hostname(), info.cpuMillis(), info.memoryMiB(), state.draining());
      applier.connect(info);
    } else {
      placement.removeWorker(state.id());
    }
  }

  /** Hands what the current event decided to the applier, with the earliest deadline to wake for. */
  private void flush() {
    if (plannedCreates.isEmpty() && plannedDeletes.isEmpty() && deadlines.next() == Long.MAX_VALUE) {
      return;
    }
    Plan plan = new Plan(plannedCreates, plannedDeletes, deadlines.next());
    plannedCreates.clear();
    plannedDeletes.clear();
    applier.apply(plan);
  }

  /** Sets the desired count of a function and acts on it. */
  public void scale(String function, int count) {
    desired.put(function, count);
    reconcile(function);
  }

  public int readyInstances(String function) {
    return table.count(function, InstanceState.READY);
  }

  /** Ready plus pending, any revision. */
  public int instances(String function) {
    return table.count(function, InstanceState.READY) + table.count(function, InstanceState.PENDING);
  }

  /** Functions whose instances changed since the last call, and their instances now: for incremental publishes. */
  public Set<String> takeChanged() {
    return table.takeChanged();
  }

  public List<Instance> instancesOf(String function) {
    return table.ofFunction(function);
  }

  /** Every instance now; an immutable copy. */
  public List<Instance> snapshot() {
    return table.all();
  }

  /** Acts on every function: the periodic safety net behind the event-driven calls. */
  public void reconcileAll() {
    planAll();
    flush();
  }

  /** Brings one function towards its desired count at its current revision. */
  public void reconcile(String function) {
    plan(function);
    flush();
  }

  private void planAll() {
    Set<String> names = new LinkedHashSet<>(functions.get().keySet());
    names.addAll(desired.keySet());
    names.addAll(table.functions());
    names.forEach(this::plan);
  }

  private void plan(String function) {
    if (closing) {
      return;
    }
    FunctionRecord record = functions.get().get(function);
    if (record == null) {
      planRemoval(function);
      return;
    }
    timeoutSeconds.put(function, record.spec().timeoutSeconds());
    long now = clock.getAsLong();
    ResourceRequest request = new ResourceRequest(record.spec().resources().cpuMillis(),
        record.spec().resources().memoryMiB());
    // The planner places against a read-only view of the index; the index learns of the creations from the table.
    RevisionKey revision = new RevisionKey(function, record.revision());
    LifecyclePlanner.FunctionStep step = LifecyclePlanner.function(revision,
        desired.getOrDefault(function, 0), table.ofFunction(function), membership::isDraining,
        deadlines.at(new Deadline.Retry(function)), now, placement.view(), request);
    step.drain().forEach(id -> drain(id, record.spec().timeoutSeconds(), now));
    if (step.settled()) {
      status.placementSettled(function); // every instance wanted is placed and answered: none waits for room
    }
    if (step.creates()) {
      deadlines.remove(new Deadline.Retry(function));
      waitingForCapacity.remove(function);
    }
    for (String workerId : step.createOn()) {
      create(record, request, workerId, now);
      placement.claim(workerId, revision); // as the step counted it: the next step does not count on that member
    }
    if (step.noCapacity() != null) {
      noCapacity(record, step.noCapacity(), now);
    }
  }

  /**
   * Capacity appeared (a worker registered or was resumed): functions that found no room stop backing off and are
   * placed now. Without this, a new leader that decided before its workers re-registered would wait out a backoff.
   */
  public void capacityAdded() {
    for (String function : waitingForCapacity) {
      deadlines.remove(new Deadline.Retry(function));
    }
    waitingForCapacity.clear();
    reconcileAll();
  }

  /** A worker started or stopped draining: its functions are re-planned (replaced elsewhere, or kept). */
  public void drainingChanged(String workerId) {
    Set<String> affected = new LinkedHashSet<>();
    table.onWorker(workerId).forEach(instance -> affected.add(instance.function()));
    affected.forEach(this::plan);
    flush();
  }

  /**
   * A function was deleted: out of routing at once; every instance drains as after a revision change (deleted once
   * no data plane runs requests on it, at most the function's timeoutSeconds later).
   */
  public void removeFunction(String function) {
    planRemoval(function);
    flush();
  }

  private void planRemoval(String function) {
    desired.remove(function);
    deadlines.remove(new Deadline.Retry(function));
    Integer timeout = timeoutSeconds.remove(function);
    int drainSeconds = timeout != null ? timeout : FunctionSpec.DEFAULT_TIMEOUT_SECONDS;
    boolean changed = false;
    long now = clock.getAsLong();
    for (Instance instance : table.ofFunction(function)) {
      switch (instance.state()) {
        case PENDING -> {
          // Its create call still runs; the answer finds it gone and deletes the sandbox.
          table.remove(instance.id());
          tombstone(instance.id(), now);
          changed = true;
        }
        case READY -> drain(instance.id(), drainSeconds, now);
        case DRAINING -> { }
      }
    }
    if (changed) {
      onChange.run();
    }
  }

  /**
   * A worker was declared dead: its instances leave routing now; their functions are recreated elsewhere. Its ready
   * instances are not tombstoned: should the worker come back listing them, they are decided at once like any unknown
   * sandbox (adopted up to maxScale, the rest deleted) instead of idling unrouted until a tombstone expires.
   */
  public void onWorkerDead(String workerId) {
    Set<String> affected = new LinkedHashSet<>();
    long now = clock.getAsLong();
    for (Instance instance : table.onWorker(workerId)) {
      table.remove(instance.id());
      deadlines.remove(new Deadline.DrainCheck(instance.id()));
      drainGiveUpAt.remove(instance.id());
      if (instance.state() != InstanceState.READY) {
        tombstone(instance.id(), now); // a creation answer or a drain may still come for it
      }
      affected.add(instance.function());
    }
    applier.forget(workerId);
    if (!affected.isEmpty()) {
      LOG.atWarn().setMessage("dropped instances of dead worker").addKeyValue("worker", workerId)
          .addKeyValue("functions", affected).log();
      onChange.run();
    }
    affected.forEach(this::plan);
    flush();
  }

  /**
   * What a worker lists (registration or heartbeat), reconciled with what we believe runs there.
   *
   * @return functions that gained adopted instances (the caller tells the autoscaler they are in use)
   */
  public Set<String> onWorkerReport(String workerId, WorkerListing listing) {
    Set<String> adopted = foldReport(workerId, listing);
    flush();
    return adopted;
  }

  private Set<String> foldReport(String workerId, WorkerListing listing) {
    Optional<WorkerState> state = membership.get(workerId);
    if (state.isEmpty() || closing) {
      return Set.of();
    }
    WorkerInfo worker = state.get().info();
    long now = clock.getAsLong();
    Map<String, FunctionRecord> records = functions.get();
    SandboxReconciler.Result result = SandboxReconciler.reconcile(table.onWorker(workerId), listing,
        id -> table.contains(id) || deadlines.contains(new Deadline.Tombstone(id)), records,
        f -> present(f, records.get(f)), now, settings.reportGraceMillis(), registryComplete);
    if (result.isEmpty()) {
      return Set.of();
    }
    Set<String> affected = new LinkedHashSet<>();
    for (String id : result.drop()) {
      forgetInstance(id, affected, now);
    }
    for (String id : result.dropAndDelete()) {
      noteExit(id, workerId, listing.sandboxes());
      forgetInstance(id, affected, now);
      plannedDeletes.add(new Plan.Delete(id, worker, Plan.Why.EXITED));
    }
    for (String id : result.deleteUnknown()) {
      tombstone(id, now);
      plannedDeletes.add(new Plan.Delete(id, worker, Plan.Why.UNKNOWN));
    }
    for (String id : result.deleteExcess()) {
      tombstone(id, now);
      plannedDeletes.add(new Plan.Delete(id, worker, Plan.Why.EXCESS));
    }
    if (!result.deleteExcess().isEmpty()) {
      LOG.atWarn().setMessage("deleted sandboxes that adopting would take above maxScale")
          .addKeyValue("worker", workerId).addKeyValue("instances", result.deleteExcess()).log();
    }
    Set<String> adopted = new LinkedHashSet<>();
    for (ReportedSandbox sandbox : result.adopt()) {
      // Listed, so every listing from this one's generation on shows it.
      table.put(new Instance(sandbox.instanceId(), sandbox.function(), sandbox.revision(), workerId,
          sandbox.resources(), InstanceState.READY, sandbox.endpoint(), sandbox.createdAtMillis(), now, true,
          listing.generation()));
      affected.add(sandbox.function());
      adopted.add(sandbox.function());
    }
    // Keep what we adopt until the autoscaler says otherwise: rebuilding soft state must not scale anything down.
    adopted.forEach(f -> desired.merge(f, table.count(f, InstanceState.READY), Math::max));
    LOG.atInfo().setMessage("reconciled worker listing").addKeyValue("worker", workerId)
        .addKeyValue("dropped", result.drop().size() + result.dropAndDelete().size())
        .addKeyValue("deleted", result.deleteUnknown().size() + result.deleteExcess().size())
        .addKeyValue("adopted", result.adopt().size()).log();
    onChange.run();
    affected.forEach(this::plan);
    return adopted;
  }

  /**
   * Ready instances of the function's current revision, which a listed sandbox's adoption must not take above
   * maxScale. Pending creations do not count: a ready sandbox an earlier leader made (data planes may be routing to
   * it) is worth more than a creation that has not answered, and the planner drains the excess once that is ready.
   */
  private int present(String function, FunctionRecord record) {
    int count = 0;
    for (Instance instance : table.ofFunction(function)) {
      if (instance.revision() == record.revision() && instance.state() == InstanceState.READY) {
        count++;
      }
    }
    return count;
  }

  private void noteExit(String id, String workerId, List<ReportedSandbox> reported) {
    Instance instance = table.get(id);
    if (instance == null) {
      return;
    }
    ReportedSandbox.Exit exit = reported.stream().filter(r -> r.instanceId().equals(id)).findFirst()
        .map(ReportedSandbox::exit).orElse(null);
    FunctionStatus.SandboxExitNote note = exit == null
        ? new FunctionStatus.SandboxExitNote(id, workerId, "exited", -1, "the worker gave no reason",
            clock.getAsLong())
        : new FunctionStatus.SandboxExitNote(id, workerId, exit.reason(), exit.exitCode(), exit.message(),
            exit.atMillis() > 0 ? exit.atMillis() : clock.getAsLong());
    LOG.atWarn().setMessage("instance exited").addKeyValue("instance", id).addKeyValue("worker", workerId)
        .addKeyValue("function", instance.function()).addKeyValue("reason", note.reason())
        .addKeyValue("exitCode", note.exitCode()).log();
    status.exited(instance.function(), note);
  }

  /** Acts on every deadline that is due (the wake-up timer, and the periodic safety net). */
  public void housekeeping() {
    long now = clock.getAsLong();
    for (Deadline deadline : deadlines.takeDue(now)) {
      switch (deadline) {
        case Deadline.Retry retry -> plan(retry.function());
        case Deadline.DrainCheck check -> checkDrained(check.instanceId(), now);
        case Deadline.Tombstone tombstone -> { } // forgotten: a listing may bring the id back as unknown
      }
    }
    flush();
  }

  /**
   * Deletes every instance on its worker (pending ones once their creation answers), waiting at most
   * {@code deadlineMillis}. Nothing is created after this is called.
   */
  public Future<Void> shutdown(long deadlineMillis) {
    closing = true;
    List<Future<?>> done = new ArrayList<>();
    for (Instance instance : table.all()) {
      Optional<WorkerState> worker = membership.get(instance.workerId()).filter(WorkerState::alive);
      if (worker.isEmpty()) {
        continue;
      }
      Promise<Void> answered = Promise.promise();
      closeWaiters.put(instance.id(), answered);
      done.add(answered.future());
      if (instance.state() != InstanceState.PENDING) {
        plannedDeletes.add(new Plan.Delete(instance.id(), worker.get().info(), Plan.Why.SHUTDOWN));
      }
    }
    flush();
    applier.stop();
    Promise<Void> result = Promise.promise();
    Timers.Timer timer = timers.schedule(deadlineMillis, () -> {
      if (result.tryComplete()) {
        LOG.atWarn().setMessage("shutdown deadline passed before every instance was deleted").log();
      }
    });
    Future.join(done).onComplete(ar -> {
      timer.cancel();
      result.tryComplete();
    });
    return result.future();
  }

  private void noCapacity(FunctionRecord record, String reason, long now) {
    creations.labelValues("no_capacity").inc();
    LOG.atWarn().setMessage("no capacity for instance").addKeyValue("function", record.name())
        .addKeyValue("reason", reason).log();
    status.placementFailed(record.name(), reason, now);
    onChange.run(); // the status shows it, and data planes tell the function's callers
    backOff(record.name(), now);
    waitingForCapacity.add(record.name());
  }

  private void create(FunctionRecord record, ResourceRequest request, String workerId, long now) {
    WorkerInfo worker = membership.get(workerId).orElseThrow().info();
    String id = newInstanceId(record);
    table.put(Instance.pending(id, record.name(), record.revision(), worker.id(), request, now));
    startedNanos.put(id, System.nanoTime());
    onChange.run();
    plannedCreates.add(new Plan.Create(id, record, worker));
  }

  private void onCreateAnswer(Plan.Create create, CreateAnswer answer) {
    String id = create.instanceId();
    WorkerInfo worker = create.worker();
    Long started = startedNanos.remove(id);
    Instance instance = table.get(id);
    boolean wanted = instance != null && instance.state() == InstanceState.PENDING && !closing;
    if (answer instanceof CreateAnswer.Created created) {
      creations.labelValues("success").inc();
      if (started != null) {
        createSeconds.observe((System.nanoTime() - started) / 1e9);
      }
      if (!wanted) {
        // Removed while being created (function deleted, worker declared dead, shutdown): do not leak it.
        plannedDeletes.add(new Plan.Delete(id, worker, Plan.Why.UNWANTED));
        return;
      }
      table.put(instance.ready(created.endpoint(), created.generation(), clock.getAsLong()));
      LOG.atInfo().setMessage("instance ready").addKeyValue("instance", id).addKeyValue("worker", worker.id())
          .addKeyValue("endpoint", created.endpoint()).log();
      onChange.run();
      plan(instance.function()); // may retire old-revision instances or excess
      return;
    }
    creations.labelValues("failure").inc();
    String message = answer instanceof CreateAnswer.Refused refused ? refused.message()
        : ((CreateAnswer.MayExist) answer).message();
    String ref = FailureRefs.newRef();
    LOG.atWarn().setMessage("instance creation failed").addKeyValue("ref", ref).addKeyValue("instance", id)
        .addKeyValue("worker", worker.id()).addKeyValue("code", answer.code()).addKeyValue("error", message)
        .log();
    long now = clock.getAsLong();
    if (instance != null) {
      status.createFailed(instance.function(), new FunctionStatus.CreateFailure(id, worker.id(), answer.code(),
          message, now, ref));
      if (answer instanceof CreateAnswer.Refused refused && refused.noRoom() != null) {
        // The worker's own ledger also counts Emergency Instances, which placement does not see: no room after all.
        status.placementFailed(instance.function(), "worker " + worker.id() + " has no room: " + refused.noRoom(),
            now);
      }
      table.remove(id);
      tombstone(id, now);
      onChange.run();
      if (!closing) {
        backOff(instance.function(), now);
      }
    }
    if (answer instanceof CreateAnswer.MayExist && membership.isAlive(worker.id())) {
      // The worker may have finished it after we stopped waiting; a closing waiter hears of it once deleted.
      plannedDeletes.add(new Plan.Delete(id, worker, Plan.Why.MAY_EXIST));
    } else {
      completeCloseWaiter(id);
    }
  }

  private void onDeleted(Plan.Delete delete) {
    if (delete.why() == Plan.Why.DRAINED && table.get(delete.instanceId()) != null) {
      forgetInstance(delete.instanceId(), new HashSet<>(), clock.getAsLong());
      onChange.run();
    }
    completeCloseWaiter(delete.instanceId());
  }

  /** Out of routing now, deleted once its requests are done: at most {@code timeoutSeconds} after the drain time. */
  private void drain(String id, int timeoutSeconds, long now) {
    Instance instance = table.get(id);
    if (instance == null || instance.state() != InstanceState.READY) {
      return;
    }
    table.put(instance.draining());
    onChange.run();
    drainGiveUpAt.put(id, LifecyclePlanner.drainBound(now, settings.drainMillis(), timeoutSeconds));
    deadlines.put(new Deadline.DrainCheck(id), now + settings.drainMillis());
  }

  private void checkDrained(String id, long now) {
    Instance instance = table.get(id);
    Long giveUpAt = drainGiveUpAt.get(id);
    if (closing || instance == null || instance.state() != InstanceState.DRAINING || giveUpAt == null) {
      drainGiveUpAt.remove(id);
      return;
    }
    switch (LifecyclePlanner.drain(inUse.test(id), giveUpAt, now)) {
      case LifecyclePlanner.DrainStep.Recheck recheck -> deadlines.put(new Deadline.DrainCheck(id), recheck.atMillis());
      case LifecyclePlanner.DrainStep.Delete delete -> {
        drainGiveUpAt.remove(id);
        Optional<WorkerState> worker = membership.get(instance.workerId()).filter(WorkerState::alive);
        if (worker.isEmpty()) {
          forgetInstance(id, new HashSet<>(), now);
          onChange.run();
        } else {
          plannedDeletes.add(new Plan.Delete(id, worker.get().info(), Plan.Why.DRAINED));
        }
      }
    }
  }

  private void forgetInstance(String id, Set<String> affected, long now) {
    Instance removed = table.remove(id);
    deadlines.remove(new Deadline.DrainCheck(id));
    drainGiveUpAt.remove(id);
    tombstone(id, now);
    if (removed != null) {
      affected.add(removed.function());
    }
  }

  private void backOff(String function, long now) {
    deadlines.put(new Deadline.Retry(function), now + settings.createRetryBackoffMillis());
  }

  private void tombstone(String id, long now) {
    deadlines.put(new Deadline.Tombstone(id), now + settings.tombstoneMillis());
  }

  private void completeCloseWaiter(String id) {
    Promise<Void> waiter = closeWaiters.remove(id);
    if (waiter != null) {
      waiter.tryComplete();
    }
  }

  /** The one applier, for what images/ and pools/ decide and for a new term's sweep. */
  public PlanApplier applier() {
    return applier;
  }

  /** Whether the registry is known to be complete (see {@link SandboxReconciler}). */
  public void registryComplete(boolean value) {
    this.registryComplete = value;
  }

  /** Where exits, failed creations and placements are written down for the function's status. */
  public void statusBoard(StatusBoard value) {
    this.status = value;
  }

  /** How to tell whether data planes still run requests on an instance. */
  public void inUseBy(java.util.function.Predicate<String> value) {
    this.inUse = value;
  }

  /**
   * The ready pool members a worker reports, per revision: placement prefers their holders for creations of that
   * revision (a pool hit starts a created sandbox).
   */
  public void poolsReported(String workerId, List<FunctionStatus.Pool> pools) {
    Map<RevisionKey, Integer> ready = new HashMap<>();
    for (FunctionStatus.Pool pool : pools) {
      ready.merge(new RevisionKey(pool.function(), pool.revision()), pool.ready(), Integer::sum);
    }
    placement.pools(workerId, ready);
  }

  /** Replaces what non-Pulse workloads hold per host; placement counts it as allocated from now on. */
  public void hostReservations(HostReservations reservations) {
    placement.reservations(reservations);
  }

  private String newInstanceId(FunctionRecord record) {
    String id;
    do {
      id = record.name() + "-" + record.revision() + "-" + randomSuffix();
    } while (table.contains(id) || deadlines.contains(new Deadline.Tombstone(id)));
    return id;
  }

  private String randomSuffix() {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder suffix = new StringBuilder(8);
    for (int i = 0; i < 8; i++) {
      suffix.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return suffix.toString();
  }
}
