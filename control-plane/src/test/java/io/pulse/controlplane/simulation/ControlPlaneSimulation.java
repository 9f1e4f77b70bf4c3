package io.pulse.controlplane.simulation;

import io.pulse.controlplane.instances.Instance;
import io.pulse.controlplane.instances.InstanceState;
import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.registry.FunctionSpec;
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
 * A seeded world of three (or more) control-plane replicas, four workers and two data planes over {@link SimNetwork},
 * driven by one {@link SimScheduler}. Each replica steps the real term machine over its own late view of the others
 * ({@link SimReplica}, {@link SimCluster}); a replica whose machine begins a term runs the real coordinator, planner
 * and applier in its epoch ({@link SimTerm}) until its machine ends it; simulated worker daemons fence with the real
 * EpochGuard ({@link SimWorkerDaemon}). A fault phase kills and restarts replicas, workers (with or without their
 * sandboxes) and data planes, partitions replicas and workers, drops, delays and duplicates messages, registers,
 * changes, scales and deletes functions and drains workers; then everything heals and the cluster must converge to one
 * leader. Invariants are checked after every event ({@link TermLedger} for the terms) and at convergence; a violation
 * fails with the seed, its replay command and the last events.
 */
final class ControlPlaneSimulation {

  static final long FAULT_PHASE_MS = 20_000;
  static final long CONVERGE_WITHIN_MS = 60_000;
  static final long LEASE_MS = 3_000;
  private static final int WORKERS = 4;
  private static final int DATA_PLANES = 2;
  private static final int FUNCTIONS = 3;
  private static final int TRACE = 60;

  final long seed;
  final SimScheduler scheduler;
  final SimNetwork network;
  final TermLedger ledger = new TermLedger(this);
  final SimCluster cluster;
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
  private final Deque<String> trace = new ArrayDeque<>();
  private long revisions;
  private long emergencyIds;
  private boolean faults = true;
  /** What a run exercised, for the test's summary. */
  long workerRestarts;

  ControlPlaneSimulation(long seed, int replicas) {
    this.seed = seed;
    Random random = new Random(seed);
    this.scheduler = new SimScheduler(random);
    this.network = new SimNetwork(scheduler);
    this.cluster = new SimCluster(this, replicas);
    for (int i = 0; i < FUNCTIONS; i++) {
      register("f" + i);
    }
    for (int i = 0; i < WORKERS; i++) {
      SimWorkerDaemon worker = new SimWorkerDaemon("w" + i, scheduler::now);
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
    cluster.topologyChanged();
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
    cluster.replicas.stream().filter(r -> !r.alive).forEach(cluster::restart);
    cluster.heal();
    workers.stream().filter(w -> !w.alive).forEach(w -> restart(w, scheduler.random.nextBoolean()));
    deadDataPlanes.clear();
    if (!scheduler.runUntil(this::converged, scheduler.now() + CONVERGE_WITHIN_MS, this::check)) {
      fail("not converged " + CONVERGE_WITHIN_MS + " ms after the heal: " + describe());
    }
    checkConverged();
  }

  SimWorkerDaemon worker(String id) {
    return workers.stream().filter(w -> w.id.equals(id)).findFirst().orElseThrow();
  }

  // --- traffic: heartbeats, data planes ---

  /**
   * A worker heartbeats the replica it was last pointed to, or any replica when it has not heard back lately or its
   * channel looks the leader up again (one time in four here, so that workers move to a new leader while a deposed one
   * still acts, as a reconnect does): the leading one folds it and answers with its epoch, another answers with the
   * leader it names.
   */
  private void heartbeat(SimWorkerDaemon worker) {
    if (!worker.alive) {
      return;
    }
    boolean hinted = worker.leaderHint != null && scheduler.now() - worker.answeredAt <= 3 * SimTerm.HEARTBEAT_MS;
    String target = hinted && scheduler.random.nextInt(4) != 0 ? worker.leaderHint
        : cluster.replicas.get(scheduler.random.nextInt(cluster.replicas.size())).id;
    var listing = worker.listing();
    network.send(worker.id, target, () -> {
      SimReplica replica = cluster.replica(target);
      SimTerm leader = replica.acting;
      if (leader == null) {
        String named = replica.term.leader();
        network.send(target, worker.id, () -> worker.pointedTo(named, scheduler.now()));
        return;
      }
      leader.run(() -> {
        boolean known = leader.heartbeat(worker.id, listing);
        network.send(leader.node, worker.id, () -> {
          worker.pointedTo(leader.node, scheduler.now());
          worker.guard.observe(leader.epoch); // the answer carries the leader's epoch
          if (!known) {
            var fresh = worker.listing();
            network.send(worker.id, leader.node, () -> leader.run(() -> leader.register(worker.info, fresh)));
          }
        });
      });
    });
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
    int kind = scheduler.random.nextInt(13);
    switch (kind) {
      case 0 -> {
        List<SimReplica> alive = cluster.replicas.stream().filter(r -> r.alive).toList();
        if (!alive.isEmpty()) {
          SimReplica leader = alive.stream().filter(r -> r.acting != null).findFirst().orElse(null);
          SimReplica victim = leader != null && scheduler.random.nextBoolean() ? leader
              : alive.get(scheduler.random.nextInt(alive.size()));
          note("kill " + victim.id + (victim.acting == null ? "" : " leading epoch " + victim.acting.epoch));
          cluster.kill(victim);
        }
      }
      case 11 -> cluster.replicas.stream().filter(r -> !r.alive).findAny().ifPresent(r -> {
        note("restart " + r.id);
        cluster.restart(r);
      });
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
        List<String> nodes = new ArrayList<>(cluster.replicas.stream().map(r -> r.id).toList());
        workers.forEach(w -> nodes.add(w.id));
        nodes.forEach(node -> {
          int group = scheduler.random.nextInt(2);
          network.group(node, group);
          groups.append(node).append('=').append(group).append(' ');
        });
        note("partition " + groups.toString().trim());
        cluster.topologyChanged();
      }
      case 12 -> cluster.replicas.stream().filter(r -> r.acting != null).findFirst().ifPresent(leader -> {
        // Deposition: the leader cut off from the other replicas, the workers still reaching it; it acts on until it
        // notices while the others elect anew, and what it sends then must meet fences.
        // Half the time it stalls besides (a paused process): what it sends leaves in a burst, after the others
        // elected anew and workers may have seen the newer epoch.
        long stall = scheduler.random.nextBoolean() ? scheduler.random.nextLong(SimNetwork.LATE_MAX_MS) : 0;
        note("cut leader " + leader.id + " off from the other replicas" + (stall > 0 ? ", stalled " + stall + " ms" : ""));
        network.stall(leader.id, scheduler.now() + stall);
        cluster.replicas.forEach(r -> {
          if (r != leader) {
            network.cut(leader.id, r.id);
          }
        });
        cluster.topologyChanged();
      });
      case 4 -> {
        note("heal network");
        cluster.heal();
      }
      case 5 -> {
        network.dropRate = scheduler.random.nextDouble() * 0.3;
        network.duplicateRate = scheduler.random.nextDouble() * 0.3;
        network.lateRate = scheduler.random.nextDouble() * 0.3;
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

  /** A replicated change reaches every acting term (followers forward writes; each term watches the registry). */
  private void act(java.util.function.Consumer<SimTerm> action) {
    for (SimTerm term : actingTerms()) {
      term.run(() -> action.accept(term));
    }
  }

  private List<SimTerm> actingTerms() {
    return cluster.replicas.stream().map(r -> r.acting).filter(java.util.Objects::nonNull).toList();
  }

  /** The one term acting, in the highest epoch begun, named by every replica; null while there is none such. */
  private SimTerm soleLeader() {
    List<SimTerm> acting = actingTerms();
    TermLedger.Begun last = ledger.last();
    if (acting.size() != 1 || last == null || acting.getFirst().serial != last.serial()) {
      return null;
    }
    SimTerm leader = acting.getFirst();
    boolean named = cluster.replicas.stream().allMatch(r -> leader.node.equals(r.term.leader())
        && r.term.publishedEpoch() == leader.epoch);
    return named ? leader : null;
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
    ledger.check(cluster.replicas, workers);
    for (SimTerm term : actingTerms()) {
      for (String drained : drains) {
        if (term.membership.knows(drained) && !term.membership.isDraining(drained)) {
          fail("term " + term.epoch + " treats drained worker " + drained + " as schedulable");
        }
      }
    }
  }

  /**
   * One leader that every replica names and every worker follows (has seen its epoch); its table and every worker
   * agree, every function runs as wanted, nothing else runs.
   */
  private boolean converged() {
    SimTerm term = soleLeader();
    if (term == null || workers.stream().anyMatch(w -> w.guard.highest() != term.epoch)) {
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
    out.append(String.format("%n  wanted=%s drains=%s last begun: %s", wanted, drains, ledger.last()));
    cluster.replicas.forEach(r -> out.append(String.format("%n  %s alive=%s age=%d view=%s term=%s acting=%d store=%d",
        r.id, r.alive, r.age, r.view, r.term, r.actingEpoch(), r.storeEpoch)));
    List<SimTerm> acting = actingTerms();
    SimTerm term = acting.isEmpty() ? null : acting.getLast();
    if (term != null) {
      term.lifecycle.snapshot().forEach(i -> out.append(String.format("%n    table of %d: %s %s r%d on %s", term.epoch,
          i.id(), i.state(), i.revision(), i.workerId())));
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

  void fail(String violation) {
    throw new AssertionError("seed " + seed + " (" + cluster.configured + " replicas), at " + scheduler.now() + " ms: " + violation
        + "\n  replay: -Dpulse.sim.seed=" + seed + " -Dpulse.sim.replicas=" + cluster.configured
        + " -Dtest=ControlPlaneSimulationTest\n  last events:\n    "
        + String.join("\n    ", trace));
  }
}
