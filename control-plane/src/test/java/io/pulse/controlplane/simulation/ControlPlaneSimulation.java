package io.pulse.controlplane.simulation;

import io.pulse.controlplane.instances.Instance;
import io.pulse.controlplane.instances.InstanceState;
import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.registry.FunctionSpec;
import io.pulse.controlplane.term.SimNetwork;
import io.pulse.controlplane.term.SimScheduler;
import io.pulse.worker.sandbox.SandboxKind;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * A seeded world of one control plane (one leader term at a time, killed or deposed at random), four workers and two
 * data planes over {@link SimNetwork}, driven by one {@link SimScheduler}: the real coordinator, planner and applier
 * ({@link SimTerm}), simulated worker daemons fencing with the real EpochGuard ({@link SimWorkerDaemon}). A fault phase
 * kills and replaces leaders, kills and restarts workers (with or without their sandboxes) and data planes, partitions
 * the network, drops, delays and duplicates messages, registers, changes, scales and deletes functions and drains
 * workers; then everything heals and the cluster must converge. Invariants are checked after every event and at
 * convergence; a violation fails with the seed and the last events.
 */
final class ControlPlaneSimulation {

  static final long FAULT_PHASE_MS = 20_000;
  static final long CONVERGE_WITHIN_MS = 60_000;
  /**
   * How long a deposed term may still act after the next one began (until its replica notices, see
   * TermSimulation.OVERLAP_BOUND_MS); its commands may arrive later still, where workers that saw the newer epoch
   * refuse them. Sent later than this after a newer term began and accepted: two terms acting.
   */
  static final long OVERLAP_BOUND_MS = 2_100;
  static final long LEASE_MS = 3_000;
  private static final int WORKERS = 4;
  private static final int DATA_PLANES = 2;
  private static final int FUNCTIONS = 3;
  private static final int TRACE = 60;

  final long seed;
  final SimScheduler scheduler;
  final SimNetwork network;
  /** Acknowledged registrations: replicated, so every term reads them (what a lost one would violate). */
  final Map<String, FunctionRecord> registry = new TreeMap<>();
  /** What the autoscaler asks of each function; never above its maxScale. */
  final Map<String, Integer> wanted = new HashMap<>();
  /** Durable drains (the replicated drain/ entries); never undone here, so each must hold for good. */
  final Set<String> drains = new LinkedHashSet<>();
  private final List<SimWorkerDaemon> workers = new ArrayList<>();
  private final List<String> dataPlanes = new ArrayList<>();
  private final Map<String, Integer> dataPlaneIncarnation = new HashMap<>();
  private final Set<String> deadDataPlanes = new HashSet<>();
  private final Map<Long, Long> termBeganAt = new TreeMap<>();
  /** Simulation truth across worker restarts: the highest epoch each worker admitted a command of. */
  private final Map<String, Long> admittedEpoch = new HashMap<>();
  private final Deque<String> trace = new ArrayDeque<>();
  private SimTerm term;
  private long lastEpoch;
  private long revisions;
  private long emergencyIds;
  private boolean faults = true;
  /** What a run exercised, for the test's summary. */
  long terms;
  long refused;
  long workerRestarts;

  ControlPlaneSimulation(long seed) {
    this.seed = seed;
    Random random = new Random(seed);
    this.scheduler = new SimScheduler(random);
    this.network = new SimNetwork(scheduler);
    for (int i = 0; i < FUNCTIONS; i++) {
      register("f" + i);
    }
    for (int i = 0; i < WORKERS; i++) {
      SimWorkerDaemon worker = new SimWorkerDaemon("w" + i);
      workers.add(worker);
      network.register(worker.id, () -> worker.incarnation);
      scheduler.every(SimTerm.HEARTBEAT_MS, 40, () -> heartbeat(worker));
      scheduler.every(500, 20, () -> {
        if (worker.alive) {
          worker.reap(scheduler.now());
        }
      });
    }
    for (int i = 0; i < DATA_PLANES; i++) {
      String dp = "dp" + i;
      dataPlanes.add(dp);
      dataPlaneIncarnation.put(dp, 0);
      network.register(dp, () -> dataPlaneIncarnation.get(dp));
      scheduler.every(1_000, 100, () -> dataPlaneTurn(dp));
    }
    beginTerm();
  }

  /** Runs the fault phase, then heals everything and waits for the cluster to converge; checks it then. */
  void run() {
    scheduler.after(0, this::fault);
    scheduler.runUntil(() -> false, FAULT_PHASE_MS, this::check);
    faults = false;
    note("heal all");
    network.dropRate = 0;
    network.duplicateRate = 0;
    network.lateRate = 0;
    network.heal();
    workers.stream().filter(w -> !w.alive).forEach(w -> restart(w, scheduler.random.nextBoolean()));
    deadDataPlanes.clear();
    if (term == null || !term.acting) {
      beginTerm();
    }
    if (!scheduler.runUntil(this::converged, scheduler.now() + CONVERGE_WITHIN_MS, this::check)) {
      fail("not converged " + CONVERGE_WITHIN_MS + " ms after the heal: " + describe());
    }
    checkConverged();
  }

  SimWorkerDaemon worker(String id) {
    return workers.stream().filter(w -> w.id.equals(id)).findFirst().orElseThrow();
  }

  // --- the control plane's terms ---

  private void beginTerm() {
    lastEpoch += 1 + scheduler.random.nextInt(5);
    terms++;
    termBeganAt.put(lastEpoch, scheduler.now());
    note("term " + lastEpoch + " begins");
    term = new SimTerm(this, lastEpoch);
  }

  /** A worker admitted (or refused) a command on a Regular Instance sent at {@code sentAt} in {@code epoch}. */
  void commandArrived(SimWorkerDaemon worker, long epoch, long sentAt, boolean admitted) {
    if (!admitted) {
      refused++;
      return;
    }
    long before = admittedEpoch.getOrDefault(worker.id, 0L);
    if (epoch < before) {
      fail(worker.id + " admitted a command of epoch " + epoch + " after one of epoch " + before
          + " (a restart forgot the highest epoch?)");
    }
    admittedEpoch.put(worker.id, epoch);
    for (Map.Entry<Long, Long> newer : termBeganAt.entrySet()) {
      if (newer.getKey() > epoch && sentAt - newer.getValue() > OVERLAP_BOUND_MS) {
        fail(worker.id + " admitted a command of epoch " + epoch + " sent " + (sentAt - newer.getValue())
            + " ms after epoch " + newer.getKey() + " began: two terms acting");
      }
    }
  }

  // --- traffic: heartbeats, data planes ---

  private void heartbeat(SimWorkerDaemon worker) {
    SimTerm leader = term;
    if (!worker.alive || leader == null) {
      return;
    }
    var listing = worker.listing();
    network.send(worker.id, leader.node, () -> leader.run(() -> {
      boolean known = leader.heartbeat(worker.id, listing);
      network.send(leader.node, worker.id, () -> {
        worker.guard.observe(leader.epoch); // the answer carries the leader's epoch
        if (!known) {
          var fresh = worker.listing();
          network.send(worker.id, leader.node, () -> leader.run(() -> leader.register(worker.info, fresh)));
        }
      });
    }));
  }

  /** A live data plane renews its Emergency Instances' leases, and now and then creates one (epoch 0). */
  private void dataPlaneTurn(String dp) {
    if (deadDataPlanes.contains(dp)) {
      return;
    }
    String creator = dp + "#" + dataPlaneIncarnation.get(dp);
    for (SimWorkerDaemon worker : workers) {
      long until = scheduler.now() + LEASE_MS;
      network.send(dp, worker.id, () -> {
        if (worker.alive) {
          worker.renew(creator, until);
        }
      });
    }
    if (faults && scheduler.random.nextInt(3) == 0) {
      SimWorkerDaemon worker = workers.get(scheduler.random.nextInt(workers.size()));
      if (drains.contains(worker.id)) {
        return; // data planes create Emergency Instances only on schedulable workers
      }
      String id = "ei-" + emergencyIds++;
      long now = scheduler.now();
      network.send(dp, worker.id, () -> {
        if (worker.alive) {
          worker.createEmergency(id, "f0", creator, now, LEASE_MS);
        }
      });
    }
  }

  // --- faults ---

  private void fault() {
    if (!faults) {
      return;
    }
    int kind = scheduler.random.nextInt(12);
    switch (kind) {
      case 0 -> {
        if (term != null && term.acting) {
          SimTerm old = term;
          if (scheduler.random.nextBoolean()) {
            note("kill leader " + old.epoch);
            old.stop();
            term = null;
            scheduler.after(200 + scheduler.random.nextLong(1_500), () -> {
              if (term == null) {
                beginTerm();
              }
            });
          } else {
            // Deposed: the next term begins while the old one acts on until its replica notices.
            long overlap = scheduler.random.nextLong(OVERLAP_BOUND_MS - 100);
            note("depose leader " + old.epoch + " (acts " + overlap + " ms more)");
            beginTerm();
            scheduler.after(overlap, old::stop);
          }
        }
      }
      case 1 -> {
        SimWorkerDaemon worker = workers.get(scheduler.random.nextInt(workers.size()));
        if (worker.alive) {
          note("kill " + worker.id);
          worker.kill();
        } else {
          restart(worker, scheduler.random.nextBoolean());
        }
      }
      case 2 -> {
        String dp = dataPlanes.get(scheduler.random.nextInt(dataPlanes.size()));
        if (deadDataPlanes.add(dp)) {
          note("crash " + dp);
        } else {
          deadDataPlanes.remove(dp);
          dataPlaneIncarnation.merge(dp, 1, Integer::sum);
          note("restart " + dp);
        }
      }
      case 3 -> {
        StringBuilder groups = new StringBuilder();
        workers.forEach(w -> {
          int group = scheduler.random.nextInt(2);
          network.group(w.id, group);
          groups.append(w.id).append('=').append(group).append(' ');
        });
        note("partition " + groups.toString().trim());
      }
      case 4 -> {
        note("heal network");
        network.heal();
      }
      case 5 -> {
        network.dropRate = scheduler.random.nextDouble() * 0.3;
        network.duplicateRate = scheduler.random.nextDouble() * 0.3;
        network.lateRate = scheduler.random.nextDouble() * 0.2;
      }
      case 6, 7 -> {
        String function = "f" + scheduler.random.nextInt(FUNCTIONS);
        FunctionRecord record = registry.get(function);
        if (record != null) {
          int count = scheduler.random.nextInt(record.spec().scaling().maxScale() + 1);
          note("scale " + function + " to " + count);
          wanted.put(function, count);
          act(t -> t.lifecycle.scale(function, count));
        }
      }
      case 8 -> {
        String function = "f" + scheduler.random.nextInt(FUNCTIONS);
        register(function); // a new function, or a new revision of one
        act(t -> t.lifecycle.reconcile(function));
      }
      case 9 -> {
        String function = "f" + scheduler.random.nextInt(FUNCTIONS);
        if (registry.remove(function) != null) {
          note("delete " + function);
          wanted.remove(function);
          act(t -> t.lifecycle.removeFunction(function));
        }
      }
      case 10 -> {
        // Recorded first (durable), applied after, as Scheduler.setDraining; one worker always stays schedulable.
        SimWorkerDaemon worker = workers.get(scheduler.random.nextInt(workers.size()));
        if (drains.size() < WORKERS - 2 && drains.add(worker.id)) {
          note("drain " + worker.id);
          act(t -> t.drain(worker.id));
        }
      }
      default -> { }
    }
    scheduler.after(100 + scheduler.random.nextLong(700), this::fault);
  }

  private void act(java.util.function.Consumer<SimTerm> action) {
    if (term != null) {
      term.run(() -> action.accept(term));
    }
  }

  private void register(String function) {
    int maxScale = 2 + scheduler.random.nextInt(3);
    FunctionSpec spec = new FunctionSpec(function, null, List.of("run"), 0, Map.of(),
        new FunctionSpec.Resources(SimWorkerDaemon.SIZE.cpuMillis(), SimWorkerDaemon.SIZE.memoryMiB()),
        new FunctionSpec.Scaling(0, maxScale, 1, 60), 1);
    registry.put(function, new FunctionRecord(spec, ++revisions, Instant.EPOCH, Instant.EPOCH));
    wanted.put(function, Math.min(maxScale, 1 + scheduler.random.nextInt(maxScale)));
    note("register " + function + " revision " + revisions + " maxScale " + maxScale + " wanted "
        + wanted.get(function));
  }

  private void restart(SimWorkerDaemon worker, boolean keepSandboxes) {
    note("restart " + worker.id + (keepSandboxes ? " with its sandboxes" : " empty"));
    worker.restart(keepSandboxes);
    workerRestarts++;
  }

  // --- invariants ---

  /** After every event. */
  private void check() {
    if (term != null && term.acting) {
      for (String drained : drains) {
        if (term.membership.knows(drained) && !term.membership.isDraining(drained)) {
          fail("term " + term.epoch + " treats drained worker " + drained + " as schedulable");
        }
      }
    }
  }

  /** The leader's table and every worker agree, every function runs as wanted, nothing else runs. */
  private boolean converged() {
    if (term == null || !term.acting) {
      return false;
    }
    Map<String, Instance> table = new HashMap<>();
    for (Instance instance : term.lifecycle.snapshot()) {
      if (instance.state() != InstanceState.READY) {
        return false;
      }
      table.put(instance.id(), instance);
    }
    Map<String, Integer> running = new HashMap<>();
    for (SimWorkerDaemon worker : workers) {
      if (!worker.alive || !term.membership.isAlive(worker.id)) {
        return false;
      }
      for (SimWorkerDaemon.Sandbox sandbox : worker.sandboxes.values()) {
        if (sandbox.kind() == SandboxKind.EMERGENCY) {
          if (!livingCreator(sandbox) || sandbox.leaseUntil() < scheduler.now()) {
            return false; // an Emergency Instance of a crashed data plane, not yet reaped
          }
          continue;
        }
        Instance known = table.get(sandbox.id());
        if (known == null || !known.workerId().equals(worker.id) || !sandbox.ready() || drains.contains(worker.id)) {
          return false;
        }
        running.merge(sandbox.function(), 1, Integer::sum);
      }
    }
    for (Instance instance : table.values()) {
      SimWorkerDaemon.Sandbox sandbox = worker(instance.workerId()).sandboxes.get(instance.id());
      FunctionRecord record = registry.get(instance.function());
      if (sandbox == null || record == null || record.revision() != instance.revision()) {
        return false;
      }
    }
    for (String function : registry.keySet()) {
      if (running.getOrDefault(function, 0) != wanted.getOrDefault(function, 0)) {
        return false;
      }
    }
    return running.keySet().stream().allMatch(registry::containsKey);
  }

  private boolean livingCreator(SimWorkerDaemon.Sandbox emergency) {
    String dp = emergency.creator().split("#")[0];
    return emergency.creator().equals(dp + "#" + dataPlaneIncarnation.get(dp));
  }

  /** Said separately from {@link #converged}, each with its own message: what the issue asks to hold. */
  private void checkConverged() {
    Map<String, Integer> regular = new HashMap<>();
    for (SimWorkerDaemon worker : workers) {
      for (SimWorkerDaemon.Sandbox sandbox : worker.sandboxes.values()) {
        if (sandbox.kind() == SandboxKind.REGULAR) {
          regular.merge(sandbox.function(), 1, Integer::sum);
          if (drains.contains(worker.id)) {
            fail("drained worker " + worker.id + " runs Regular Instance " + sandbox.id());
          }
        } else if (!livingCreator(sandbox)) {
          fail("Emergency Instance " + sandbox.id() + " outlived its data plane " + sandbox.creator() + " on "
              + worker.id);
        }
      }
    }
    regular.forEach((function, count) -> {
      FunctionRecord record = registry.get(function);
      if (record == null) {
        fail("orphan sandboxes of deleted function " + function);
      } else if (count > record.spec().scaling().maxScale()) {
        fail(function + " runs " + count + " instances, above its maxScale " + record.spec().scaling().maxScale());
      }
    });
    for (String function : registry.keySet()) {
      if (regular.getOrDefault(function, 0) != wanted.getOrDefault(function, 0)) {
        fail("acknowledged function " + function + " runs " + regular.getOrDefault(function, 0) + " of "
            + wanted.get(function));
      }
    }
  }

  private String describe() {
    StringBuilder out = new StringBuilder();
    out.append(String.format("%n  term %s acting=%s wanted=%s drains=%s", term == null ? "-" : term.epoch,
        term != null && term.acting, wanted, drains));
    if (term != null) {
      term.lifecycle.snapshot().forEach(i -> out.append(String.format("%n    table %s %s r%d on %s", i.id(),
          i.state(), i.revision(), i.workerId())));
    }
    workers.forEach(w -> {
      out.append(String.format("%n  %s alive=%s guard=%d known=%s", w.id, w.alive, w.guard.highest(),
          term != null && term.membership.isAlive(w.id)));
      w.sandboxes.values().forEach(s -> out.append(String.format("%n    %s %s %s r%d ready=%s %s", s.id(), s.kind(),
          s.function(), s.revision(), s.ready(), s.creator())));
    });
    registry.values().forEach(r -> out.append(String.format("%n  %s r%d maxScale=%d", r.name(), r.revision(),
        r.spec().scaling().maxScale())));
    return out.toString();
  }

  void note(String event) {
    trace.addLast(scheduler.now() + " ms: " + event);
    if (trace.size() > TRACE) {
      trace.removeFirst();
    }
  }

  /** An invariant a term broke (see {@link SimTerm}). */
  void violated(String violation) {
    fail(violation);
  }

  private void fail(String violation) {
    throw new AssertionError("seed " + seed + ", at " + scheduler.now() + " ms: " + violation
        + "\n  replay: -Dpulse.sim.seed=" + seed + " -Dtest=ControlPlaneSimulationTest\n  last events:\n    "
        + String.join("\n    ", trace));
  }
}
