package io.pulse.controlplane.simulation;

import io.pulse.controlplane.term.ClusterView;
import io.pulse.controlplane.term.Term;
import io.pulse.controlplane.term.TermAction;
import io.pulse.controlplane.term.TermOrder;
import io.pulse.controlplane.term.TermRunner;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One simulated control-plane replica, carrying out the real term machine the way {@code HazelcastCluster} and the
 * verticle do: it settles {@link TermRunner} on every view change and every 250 ms over its own (late) view, claims go
 * to the simulated epoch record ({@link SimCluster#claim}), the epochs replicas announce on joining count as known,
 * and Begin/End reach its "verticle" after an event-loop hop, where Begin starts a {@link SimTerm} (the real
 * coordinator) in the epoch and End stops it.
 */
final class SimReplica {

  static final long EVALUATE_EVERY_MS = 250;
  static final long HOP_MAX_MS = 5;

  final String id;
  private final ControlPlaneSimulation sim;
  /** How far this host's clock is ahead of the simulation's (behind when negative). */
  long skewMillis;
  boolean alive = true;
  int incarnation;
  /** Join order: the oldest member of a view (lowest age) is elected. */
  long age;
  /** Durable: the highest epoch in this replica's store; survives a kill. */
  long storeEpoch;
  /** This replica's copy of the cluster's epoch record (in memory, like a Hazelcast map's backup). */
  long recordCopy;
  /** Learned from the record (the adapter's knownEpoch); persisted too, as the adapter does. */
  long knownEpoch;
  /** The store's epoch when this replica last started: announced to the others with its membership. */
  long joinEpoch;
  List<String> view = List.of();
  /** Membership changes announced to this replica and the newest it has noticed ({@link SimCluster}). */
  long notices;
  long noticed;
  Term term = Term.initial();
  /** The verticle's side: the term whose coordinator runs, null while none. */
  @Nullable SimTerm acting;
  /** The verticle's guard against late term actions; a new one per process. */
  private TermOrder termOrder = new TermOrder();

  SimReplica(String id, ControlPlaneSimulation sim, long skewMillis) {
    this.id = id;
    this.sim = sim;
    this.skewMillis = skewMillis;
  }

  /** The replica's own wall clock (hosts' clocks differ). */
  long clock() {
    return sim.scheduler.now() + skewMillis;
  }

  void kill() {
    alive = false;
    incarnation++;
    recordCopy = 0;
    knownEpoch = 0;
    view = List.of();
    term = Term.initial();
    stopActing(); // the process and its coordinator are gone
  }

  void restart(long newAge) {
    alive = true;
    incarnation++;
    termOrder = new TermOrder();
    age = newAge;
    view = List.of(id); // alone until the join completes (a view refresh)
    term = Term.initial();
    knownEpoch = storeEpoch;
    joinEpoch = storeEpoch;
  }

  void learn(long epoch) {
    knownEpoch = Math.max(knownEpoch, epoch);
    storeEpoch = Math.max(storeEpoch, epoch);
  }

  /** The epoch whose commands this replica sends, 0 while it leads none. */
  long actingEpoch() {
    return acting == null ? 0 : acting.epoch;
  }

  /** The adapter's evaluation: one settled step of the machine over this replica's view. */
  void evaluate() {
    if (!alive) {
      return;
    }
    ClusterView seen = ClusterView.of(id, view, sim.cluster.configured,
        Math.max(Math.max(storeEpoch, knownEpoch), sim.cluster.announced(view)));
    TermRunner.Settled settled = TermRunner.settle(seen, term, this::clock, proposed -> sim.cluster.claim(this,
        proposed));
    term = settled.step().next();
    List<TermAction> actions = settled.step().actions();
    if (actions.isEmpty()) {
      return;
    }
    long serial = 0;
    for (TermAction action : actions) {
      if (action instanceof TermAction.Begin begin) {
        serial = sim.ledger.began(id, begin.epoch());
      }
    }
    long beginSerial = serial;
    int sentTo = incarnation;
    sim.scheduler.after(sim.scheduler.random.nextLong(HOP_MAX_MS + 1), () -> {
      if (alive && incarnation == sentTo) {
        carryOut(actions, beginSerial);
      }
    });
  }

  /** The verticle's side (ControlPlane.Core#carryOut). */
  private void carryOut(List<TermAction> actions, long beginSerial) {
    for (TermAction action : actions) {
      if (!termOrder.admits(action)) {
        continue;
      }
      switch (action) {
        case TermAction.Begin begin -> {
          stopActing(); // as the verticle's endTerm before beginTerm
          acting = new SimTerm(sim, this, begin.epoch(), beginSerial);
        }
        case TermAction.End end -> stopActing();
        case TermAction.Merge merge -> { }
        case TermAction.Claim claim -> throw new AssertionError("a claim reached the verticle");
      }
    }
  }

  private void stopActing() {
    if (acting != null) {
      acting.stop();
      acting = null;
    }
  }
}
