package io.pulse.controlplane.simulation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulation's truth about leader terms, and the rules they keep, checked as claims, begins and commands happen:
 * every term begins in an epoch its replica won by a claim, above every epoch claimed or begun before; no worker
 * accepts a command of a term older than one it already accepted (terms ordered as they began, so two terms sharing an
 * epoch count as different); no command is accepted that a deposed term sent longer after a newer term began than a
 * replica takes to notice; epochs in stores and worker fences never go back.
 */
final class TermLedger {

  /**
   * How long a deposed term may still send commands after a newer term began: until its replica notices (a view
   * change, or the newer epoch at its next evaluation), plus the hop to the verticle. Its commands may arrive later
   * still; then the workers that have seen the newer epoch refuse them.
   */
  static final long OVERLAP_BOUND_MS = SimCluster.DETECT_MAX_MS + SimReplica.EVALUATE_EVERY_MS + SimReplica.HOP_MAX_MS;

  /** One term that began: its order among all terms (from 1), its replica, epoch and time. */
  record Begun(long serial, String replica, long epoch, long at) {
    @Override
    public String toString() {
      return "term #" + serial + " (epoch " + epoch + " of " + replica + ")";
    }
  }

  private final ControlPlaneSimulation sim;
  private final Map<Long, String> wonBy = new HashMap<>();
  private long highestWon;
  private final List<Begun> begun = new ArrayList<>();
  private final Map<String, Long> acceptedSerial = new HashMap<>();
  private final Map<String, Long> lastStore = new HashMap<>();
  private final Map<String, Long> lastActing = new HashMap<>();
  private final Map<String, Long> lastGuard = new HashMap<>();
  /** What a run exercised, for the test's summary. */
  long refused;
  long maxOverlapMs;

  TermLedger(ControlPlaneSimulation sim) {
    this.sim = sim;
  }

  /**
   * The epoch record took {@code replica}'s claim of {@code epoch}: it must now be held by a majority of the replicas
   * (else a majority that never heard of it may claim below it and its term act beside theirs), and be above every
   * claim won before.
   */
  void claimed(String replica, long epoch, List<SimReplica> replicas) {
    long holders = replicas.stream().filter(r -> r.alive && r.recordCopy >= epoch).count();
    if (holders < replicas.size() / 2 + 1) {
      sim.fail(replica + " won a claim of epoch " + epoch + " that only " + holders + " of " + replicas.size()
          + " replicas hold (a claim on a minority side)");
    }
    if (epoch <= highestWon) {
      sim.fail(replica + " won a claim of epoch " + epoch + " after epoch " + highestWon + " was won by "
          + wonBy.get(highestWon));
    }
    wonBy.put(epoch, replica);
    highestWon = epoch;
  }

  /** A replica's machine said Begin; returns the term's serial. */
  long began(String replica, long epoch) {
    sim.note(replica + " begins epoch " + epoch);
    if (!replica.equals(wonBy.get(epoch))) {
      sim.fail(replica + " began epoch " + epoch + " without having won its claim (won by " + wonBy.get(epoch) + ")");
    }
    Begun last = last();
    if (last != null && epoch <= last.epoch()) {
      sim.fail(replica + " began epoch " + epoch + " after " + last + " had begun");
    }
    begun.add(new Begun(begun.size() + 1L, replica, epoch, sim.scheduler.now()));
    return begun.size();
  }

  long begins() {
    return begun.size();
  }

  Begun last() {
    return begun.isEmpty() ? null : begun.getLast();
  }

  /** A worker admitted (or refused) a command that {@code term} sent at {@code sentAt}. */
  void commandArrived(String worker, SimTerm term, long sentAt, boolean admitted) {
    if (!admitted) {
      refused++;
      return;
    }
    Begun mine = begun.get((int) term.serial - 1);
    long before = acceptedSerial.getOrDefault(worker, 0L);
    if (term.serial < before) {
      sim.fail(worker + " accepted a command of " + mine + " after one of the newer " + begun.get((int) before - 1)
          + " (a fence that admits an older or an equal-but-different term, or forgot on a restart?)");
    }
    acceptedSerial.put(worker, term.serial);
    if (term.serial < begun.size()) {
      Begun newer = begun.get((int) term.serial);
      long overlap = sentAt - newer.at();
      maxOverlapMs = Math.max(maxOverlapMs, overlap);
      if (overlap > OVERLAP_BOUND_MS) {
        sim.fail(worker + " accepted a command of " + mine + " sent " + overlap + " ms after " + newer
            + " began (more than " + OVERLAP_BOUND_MS + " ms: two terms acting)");
      }
    }
  }

  /** After every event. */
  void check(List<SimReplica> replicas, List<SimWorkerDaemon> workers) {
    Map<Long, String> acting = new HashMap<>();
    for (SimReplica replica : replicas) {
      long stored = lastStore.getOrDefault(replica.id, 0L);
      if (replica.storeEpoch < stored) {
        sim.fail(replica.id + " stored epoch went back from " + stored + " to " + replica.storeEpoch);
      }
      lastStore.put(replica.id, replica.storeEpoch);
      long epoch = replica.actingEpoch();
      if (epoch > 0) {
        String other = acting.put(epoch, replica.id);
        if (other != null) {
          sim.fail(other + " and " + replica.id + " both act in epoch " + epoch);
        }
        long last = lastActing.getOrDefault(replica.id, 0L);
        if (epoch < last) {
          sim.fail(replica.id + " acts in epoch " + epoch + " after acting in " + last);
        }
        lastActing.put(replica.id, epoch);
      }
    }
    for (SimWorkerDaemon worker : workers) {
      long last = lastGuard.getOrDefault(worker.id, 0L);
      if (worker.guard.highest() < last) {
        sim.fail(worker.id + " forgot epoch " + last + " (now " + worker.guard.highest() + ")");
      }
      lastGuard.put(worker.id, worker.guard.highest());
    }
  }
}
