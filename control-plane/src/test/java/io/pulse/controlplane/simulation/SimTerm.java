package io.pulse.controlplane.simulation;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.pulse.common.time.Timers;
import io.pulse.controlplane.instances.CreateAnswer;
import io.pulse.controlplane.instances.Instance;
import io.pulse.controlplane.instances.InstanceState;
import io.pulse.controlplane.instances.InstanceLifecycle;
import io.pulse.controlplane.instances.WorkerClient;
import io.pulse.controlplane.instances.WorkerListing;
import io.pulse.controlplane.membership.Membership;
import io.pulse.controlplane.membership.WorkerInfo;
import io.pulse.controlplane.membership.WorkerState;
import io.pulse.controlplane.registry.FunctionRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * One leader term of the simulated control plane: the real coordinator ({@link InstanceLifecycle}, its planner and
 * applier) and the real {@link Membership}, wired as {@code Scheduler} wires them, with the simulation's clock, timers
 * and network in place of Vert.x and gRPC. Once it stops acting nothing of it runs again: its timers are dropped and
 * answers addressed to it are lost, like a killed or deposed replica's.
 */
final class SimTerm {

  /** The worker client's deadline on a creation (the gRPC adapter's createTimeout plus margin). */
  static final long CREATE_TIMEOUT_MS = 2_000;
  static final long DELETE_TIMEOUT_MS = 1_000;
  static final long WORKER_TIMEOUT_MS = 1_500;
  static final long HEARTBEAT_MS = 300;

  final long epoch;
  /** The term's place among all terms begun ({@link TermLedger}): what workers' acceptances are ordered by. */
  final long serial;
  /** Its replica's network node: commands leave from it, answers come back to it. */
  final String node;
  final long beganAt;
  final Membership membership;
  final InstanceLifecycle lifecycle;
  private final ControlPlaneSimulation sim;
  boolean acting = true;

  SimTerm(ControlPlaneSimulation sim, SimReplica replica, long epoch, long serial) {
    this.sim = sim;
    this.epoch = epoch;
    this.serial = serial;
    this.node = replica.id;
    this.beganAt = sim.scheduler.now();
    // A drain on record holds from the worker's first registration in this term.
    this.membership = new Membership(epoch, WORKER_TIMEOUT_MS, () -> sim.drains);
    InstanceLifecycle.Settings settings = new InstanceLifecycle.Settings(epoch, 500, 200, 2 * HEARTBEAT_MS,
        3 * WORKER_TIMEOUT_MS);
    this.lifecycle = new InstanceLifecycle(new SimTimers(), new SplittableRandom(sim.scheduler.random.nextLong()),
        sim.scheduler::now, membership, new SimWorkerClient(), () -> sim.registry, settings,
        Counter.builder().name("c").labelNames("result").build(), Histogram.builder().name("h").build(), () -> { });
    sim.scheduler.every(250, 20, () -> run(this::housekeeping));
    sim.scheduler.every(1_000, 50, () -> run(this::tick));
    // Like the autoscaler's first decision for every function the registry holds.
    run(this::tick);
  }

  /** Ends the term: nothing of it runs from now on. */
  void stop() {
    acting = false;
  }

  /** Runs {@code action} only while the term acts. */
  void run(Runnable action) {
    if (acting) {
      action.run();
    }
  }

  // --- what Scheduler does on worker reports, ticks and housekeeping ---

  /** A heartbeat; false asks the worker to register again. */
  boolean heartbeat(String workerId, WorkerListing listing) {
    if (!membership.heartbeat(workerId, sim.scheduler.now())) {
      return false;
    }
    report(workerId, listing);
    return true;
  }

  void register(WorkerInfo worker, WorkerListing listing) {
    membership.register(worker, sim.scheduler.now());
    report(worker.id(), listing);
    if (membership.isDraining(worker.id())) {
      lifecycle.drainingChanged(worker.id());
    }
    lifecycle.capacityAdded();
  }

  /**
   * A listing, folded; adoption must never be what takes a function above its maxScale, and a listing must never drop
   * an instance whose sandbox still runs (one taken before the creation and delivered late must not count).
   */
  private void report(String workerId, WorkerListing listing) {
    Map<String, Integer> before = readyCurrent();
    List<Instance> placedBefore = lifecycle.snapshot().stream()
        .filter(i -> i.workerId().equals(workerId) && i.state() != InstanceState.PENDING).toList();
    lifecycle.onWorkerReport(workerId, listing);
    Set<String> placedAfter = lifecycle.snapshot().stream().map(Instance::id).collect(Collectors.toSet());
    SimWorkerDaemon worker = sim.worker(workerId);
    for (Instance instance : placedBefore) {
      SimWorkerDaemon.Sandbox sandbox = worker.sandboxes.get(instance.id());
      if (!placedAfter.contains(instance.id()) && sandbox != null && sandbox.ready()) {
        sim.violated(workerId + "'s listing of generation " + listing.generation() + " dropped " + instance.id()
            + " (generation " + instance.generation() + "), whose sandbox runs there");
      }
    }
    readyCurrent().forEach((function, after) -> {
      int max = sim.registry.get(function).spec().scaling().maxScale();
      if (after > Math.max(max, before.getOrDefault(function, 0))) {
        sim.violated("adopting " + workerId + "'s listing took " + function + " from "
            + before.getOrDefault(function, 0) + " to " + after + " ready instances, above its maxScale " + max);
      }
    });
  }

  /** Ready instances of each function's current revision in this term's table. */
  private Map<String, Integer> readyCurrent() {
    Map<String, Integer> counts = new HashMap<>();
    for (Instance instance : lifecycle.snapshot()) {
      FunctionRecord record = sim.registry.get(instance.function());
      if (record != null && record.revision() == instance.revision() && instance.state() == InstanceState.READY) {
        counts.merge(instance.function(), 1, Integer::sum);
      }
    }
    return counts;
  }

  /** The drain of {@code workerId} is on record: applied as Scheduler does, from the record. */
  void drain(String workerId) {
    membership.syncDrains().forEach(state -> lifecycle.drainingChanged(state.id()));
  }

  private void tick() {
    // The autoscaler: every function at the count its load asks for (the simulation's choice, within maxScale).
    sim.registry.keySet().forEach(f -> lifecycle.scale(f, sim.wanted.getOrDefault(f, 0)));
    lifecycle.reconcileAll();
  }

  private void housekeeping() {
    for (WorkerState dead : membership.expire(sim.scheduler.now())) {
      lifecycle.onWorkerDead(dead.id());
    }
    lifecycle.housekeeping();
  }

  // --- adapters: timers on the simulation's queue, worker commands over its network ---

  private final class SimTimers implements Timers {
    @Override
    public Timer schedule(long delayMillis, Runnable action) {
      boolean[] cancelled = {false};
      sim.scheduler.after(Math.max(1, delayMillis), () -> {
        if (!cancelled[0]) {
          run(action);
        }
      });
      return () -> cancelled[0] = true;
    }
  }

  private final class SimWorkerClient implements WorkerClient {

    @Override
    public Future<CreateAnswer> create(WorkerInfo worker, String instanceId, FunctionRecord function, long epoch) {
      Promise<CreateAnswer> answer = Promise.promise();
      SimWorkerDaemon daemon = sim.worker(worker.id());
      long sentAt = sim.scheduler.now();
      sim.network.send(node, worker.id(), () -> {
        boolean admitted = daemon.create(instanceId, function, epoch, sim.scheduler.now(),
            reply -> sim.network.send(worker.id(), node, () -> run(() -> answer.tryComplete(reply))),
            started -> sim.scheduler.after(20 + sim.scheduler.random.nextLong(400), started));
        sim.ledger.commandArrived(daemon.id, SimTerm.this, sentAt, admitted);
      });
      sim.scheduler.after(CREATE_TIMEOUT_MS, () -> run(() -> answer.tryComplete(
          new CreateAnswer.MayExist("DEADLINE_EXCEEDED", "DEADLINE_EXCEEDED: no answer in time"))));
      return answer.future();
    }

    @Override
    public Future<Boolean> delete(WorkerInfo worker, String instanceId, long epoch) {
      Promise<Boolean> answer = Promise.promise();
      SimWorkerDaemon daemon = sim.worker(worker.id());
      long sentAt = sim.scheduler.now();
      sim.network.send(node, worker.id(), () -> {
        boolean admitted = daemon.delete(instanceId, epoch);
        sim.ledger.commandArrived(daemon.id, SimTerm.this, sentAt, admitted);
        sim.network.send(worker.id(), node, () -> run(() -> {
          if (admitted) {
            answer.tryComplete(true);
          } else {
            answer.tryFail("FAILED_PRECONDITION: stale epoch");
          }
        }));
      });
      sim.scheduler.after(DELETE_TIMEOUT_MS, () -> run(() -> answer.tryFail("DEADLINE_EXCEEDED")));
      return answer.future();
    }

    @Override
    public void forget(String workerId) {}

    @Override
    public void close() {}
  }
}
