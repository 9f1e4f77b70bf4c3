package io.pulse.controlplane.term;

import java.util.ArrayList;
import java.util.List;

/**
 * One simulated control-plane replica, carrying out the real term machine the way the Hazelcast adapter and the
 * verticle do: it settles the machine through {@link TermRunner} on every view change and every 250 ms, its claims go
 * to the cluster's epoch record ({@link TermSimulation#claim}), the epochs replicas announce on joining count as known,
 * and Begin/End reach its "verticle" after an event-loop
 * hop; while that verticle leads it sends commands to workers and answers their heartbeats with its epoch.
 */
final class SimMember {

  static final long EVALUATE_EVERY_MS = 250;
  static final long HOP_MAX_MS = 5;

  final String id;
  private final TermSimulation sim;
  private final long skewMillis;
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
  Term term = Term.initial();
  /** The verticle's side: the epoch whose scheduler runs, 0 while none. */
  long acting;

  SimMember(String id, TermSimulation sim, long skewMillis) {
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
    acting = 0; // the process and its scheduler are gone
  }

  void restart(long newAge) {
    alive = true;
    incarnation++;
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

  /** The adapter's evaluation: one settled step of the machine over this replica's view. */
  void evaluate() {
    if (!alive) {
      return;
    }
    ClusterView seen = ClusterView.of(id, view, sim.configured,
        Math.max(Math.max(storeEpoch, knownEpoch), sim.announced(view)));
    TermRunner.Settled settled = TermRunner.settle(seen, term, this::clock, proposed -> sim.claim(this, proposed));
    term = settled.step().next();
    List<TermAction> actions = new ArrayList<>(settled.step().actions());
    if (actions.isEmpty()) {
      return;
    }
    for (TermAction action : actions) {
      if (action instanceof TermAction.Begin begin) {
        sim.began(this, begin.epoch());
      }
    }
    int sentTo = incarnation;
    sim.scheduler.after(sim.scheduler.random.nextLong(HOP_MAX_MS + 1), () -> {
      if (alive && incarnation == sentTo) {
        carryOut(actions);
      }
    });
  }

  /** The verticle's side (ControlPlane.Core#carryOut). */
  private void carryOut(List<TermAction> actions) {
    for (TermAction action : actions) {
      switch (action) {
        case TermAction.Begin begin -> acting = begin.epoch();
        case TermAction.End end -> acting = 0;
        case TermAction.Merge merge -> { }
        case TermAction.Claim claim -> throw new AssertionError("a claim reached the verticle");
      }
    }
  }
}
