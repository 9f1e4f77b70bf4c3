package io.pulse.controlplane.simulation;

import io.pulse.controlplane.term.TermRunner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What Hazelcast is to the replicas, simulated: each replica's view is the replicas it reached at the last change it
 * noticed, each change noticed 0.1-1.5 s late (by each replica at its own moment); the cluster's epoch record is a register that takes a claim only with a majority in view
 * and in reach (the meta map behind a split-brain protection); a heal merges the smaller sides into the largest, whose
 * members rejoin as the youngest.
 */
final class SimCluster {

  /** Hazelcast notices a change after this long at the earliest and at the latest (connection monitor, deadline). */
  static final long DETECT_MIN_MS = 100;
  static final long DETECT_MAX_MS = 1_500;
  /** Hosts' clocks differ: the wall-clock floor of a new epoch must not be what keeps epochs apart. */
  static final long CLOCK_SKEW_MS = 500;

  final int configured;
  final List<SimReplica> replicas = new ArrayList<>();
  private final ControlPlaneSimulation sim;
  private long nextAge;

  SimCluster(ControlPlaneSimulation sim, int configured) {
    this.sim = sim;
    this.configured = configured;
    for (int i = 0; i < configured; i++) {
      SimReplica replica = new SimReplica("cp" + i, sim,
          sim.scheduler.random.nextLong(-CLOCK_SKEW_MS, CLOCK_SKEW_MS + 1));
      replica.age = nextAge++;
      replicas.add(replica);
      sim.network.register(replica.id, () -> replica.incarnation);
      sim.scheduler.every(SimReplica.EVALUATE_EVERY_MS, 20, replica::evaluate);
    }
  }

  SimReplica replica(String id) {
    return replicas.stream().filter(r -> r.id.equals(id)).findFirst().orElseThrow();
  }

  /** A claim succeeds only with a majority in view and in reach; it is then on every replica in reach. */
  TermRunner.ClaimOutcome claim(SimReplica claimer, long proposed) {
    List<SimReplica> reach = reachable(claimer);
    if (claimer.view.size() < majority() || reach.size() < majority()) {
      throw new IllegalStateException("no majority for the epoch write");
    }
    long recorded = reach.stream().mapToLong(r -> r.recordCopy).max().orElse(0);
    if (recorded >= proposed) {
      claimer.recordCopy = recorded;
      claimer.learn(recorded);
      return TermRunner.ClaimOutcome.lost(recorded);
    }
    for (SimReplica r : reach) {
      r.recordCopy = proposed;
      r.learn(proposed); // the entry listener
    }
    claimer.storeEpoch = Math.max(claimer.storeEpoch, proposed);
    sim.ledger.claimed(claimer.id, proposed, replicas);
    return TermRunner.ClaimOutcome.won(proposed);
  }

  /** The highest epoch the replicas in a view announced when they joined (Hazelcast member attributes). */
  long announced(List<String> view) {
    return replicas.stream().filter(r -> view.contains(r.id)).mapToLong(r -> r.joinEpoch).max().orElse(0);
  }

  void kill(SimReplica replica) {
    replica.kill();
    topologyChanged();
  }

  void restart(SimReplica replica) {
    replica.restart(nextAge++);
    topologyChanged();
  }

  /**
   * Every live replica learns of the change after its own detection delay: the members it reached at the change, so a
   * view may lag behind a later change still undetected (its own delay); a late notice never replaces a newer one.
   */
  void topologyChanged() {
    for (SimReplica replica : replicas) {
      if (replica.alive) {
        int incarnation = replica.incarnation;
        long notice = ++replica.notices;
        List<String> members = reachable(replica).stream().sorted(Comparator.comparingLong(r -> r.age))
            .map(r -> r.id).toList();
        long delay = DETECT_MIN_MS + sim.scheduler.random.nextLong(DETECT_MAX_MS - DETECT_MIN_MS + 1);
        sim.scheduler.after(delay, () -> {
          if (replica.alive && replica.incarnation == incarnation && notice > replica.noticed) {
            replica.noticed = notice;
            refresh(replica, members);
          }
        });
      }
    }
  }

  /** The replica's view becomes what it was told; its copy of the record syncs with those it reaches now. */
  private void refresh(SimReplica replica, List<String> members) {
    replica.view = members;
    replica.recordCopy = reachable(replica).stream().mapToLong(r -> r.recordCopy).max().orElse(0);
    replica.learn(replica.recordCopy);
    replica.evaluate();
  }

  private List<SimReplica> reachable(SimReplica replica) {
    return replicas.stream().filter(r -> r.alive && sim.network.connected(replica.id, r.id)).toList();
  }

  private int majority() {
    return configured / 2 + 1;
  }

  /** Hazelcast merges the smaller sides into the largest: their members join again, as the youngest. */
  void heal() {
    List<List<SimReplica>> sides = new ArrayList<>();
    replicas.stream().filter(r -> r.alive).sorted(Comparator.comparingLong(r -> r.age)).forEach(r -> sides.stream()
        .filter(side -> sim.network.connected(side.getFirst().id, r.id)).findFirst()
        .orElseGet(() -> {
          sides.add(new ArrayList<>());
          return sides.getLast();
        }).add(r));
    List<SimReplica> largest = sides.stream()
        .max(Comparator.<List<SimReplica>>comparingInt(List::size).thenComparing(side -> -side.getFirst().age))
        .orElse(List.of());
    sides.stream().filter(side -> side != largest).forEach(side -> side.forEach(r -> r.age = nextAge++));
    sim.network.heal();
    topologyChanged();
  }
}
