package io.pulse.controlplane.term;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded world of 3 or 5 control-plane replicas and 3 workers over {@link SimNetwork}, driven by one
 * {@link SimScheduler}: replicas run the real term machine ({@link SimMember}), workers fence with the real
 * EpochGuard ({@link SimWorker}). A fault phase kills and restarts replicas and workers, partitions and heals the
 * network and changes its drop and duplicate rates; then everything heals and a leader must emerge. Invariants are
 * checked after every event; a violation fails with the seed and the last events.
 */
final class TermSimulation {

  /** Hazelcast notices a change after this long at the earliest and at the latest (connection monitor, deadline). */
  static final long DETECT_MIN_MS = 100;
  static final long DETECT_MAX_MS = 1_500;
  /**
   * How long a deposed term may still send commands after a newer term began: until its replica notices (a view
   * change, or the newer epoch at its next evaluation), plus the hop to the verticle. Its commands may arrive later
   * still; then the workers that have seen the newer epoch refuse them.
   */
  static final long OVERLAP_BOUND_MS = DETECT_MAX_MS + SimMember.EVALUATE_EVERY_MS + SimMember.HOP_MAX_MS;
  static final long FAULT_PHASE_MS = 20_000;
  static final long CONVERGE_WITHIN_MS = 30_000;
  /** Hosts' clocks differ: the wall-clock floor of a new epoch must not be what keeps epochs apart. */
  static final long CLOCK_SKEW_MS = 500;
  private static final int WORKERS = 3;
  private static final int TRACE = 40;

  final long seed;
  final SimScheduler scheduler;
  final SimNetwork network;
  final int configured;
  final List<SimMember> members = new ArrayList<>();
  final List<SimWorker> workers = new ArrayList<>();
  private long nextAge;
  private final Map<Long, String> beganBy = new HashMap<>();
  private final Map<Long, Long> beganAt = new HashMap<>();
  private long highestBegun;
  /** Simulation truth, across worker restarts: the highest epoch each worker was shown. */
  private final Map<String, Long> shown = new HashMap<>();
  private final Map<String, Long> acceptedEpoch = new HashMap<>();
  private final Map<String, Long> lastStore = new HashMap<>();
  private final Map<String, Long> lastGuard = new HashMap<>();
  private final Map<String, Long> lastActing = new HashMap<>();
  private final Deque<String> trace = new ArrayDeque<>();
  private boolean faults = true;
  /** What a run exercised, for the test's summary: terms begun, commands refused, the longest overlap seen. */
  long begins;
  long refused;
  long maxOverlapMs;

  TermSimulation(long seed) {
    this.seed = seed;
    Random random = new Random(seed);
    this.scheduler = new SimScheduler(random);
    this.network = new SimNetwork(scheduler);
    this.configured = random.nextBoolean() ? 3 : 5;
    for (int i = 0; i < configured; i++) {
      SimMember member = new SimMember("cp" + i, this, random.nextLong(-CLOCK_SKEW_MS, CLOCK_SKEW_MS + 1));
      member.age = nextAge++;
      members.add(member);
      network.register(member.id, () -> member.incarnation);
      scheduler.every(SimMember.EVALUATE_EVERY_MS, 20, member::evaluate);
      scheduler.every(100, 50, () -> command(member));
    }
    for (int i = 0; i < WORKERS; i++) {
      SimWorker worker = new SimWorker("w" + i);
      workers.add(worker);
      network.register(worker.id, () -> worker.incarnation);
      scheduler.every(200, 50, () -> heartbeat(worker));
    }
    topologyChanged();
  }

  /** Runs the fault phase, then heals everything and waits for one leader that every worker follows. */
  void run() {
    scheduler.after(0, this::fault);
    scheduler.runUntil(() -> false, FAULT_PHASE_MS, this::check);
    faults = false;
    note("heal all");
    network.dropRate = 0;
    network.duplicateRate = 0;
    network.lateRate = 0;
    members.stream().filter(m -> !m.alive).forEach(m -> m.restart(nextAge++));
    workers.stream().filter(w -> !w.alive).forEach(SimWorker::restart);
    heal();
    if (!scheduler.runUntil(this::converged, scheduler.now() + CONVERGE_WITHIN_MS, this::check)) {
      fail("no single leader followed by every worker " + CONVERGE_WITHIN_MS + " ms after the heal: " + describe());
    }
  }

  // --- the cluster's epoch record (Hazelcast's meta map with a majority split-brain protection) ---

  /** A claim succeeds only with a majority in view and in reach; it is then on every replica in reach. */
  TermRunner.ClaimOutcome claim(SimMember member, long proposed) {
    List<SimMember> reach = reachable(member);
    if (member.view.size() < majority() || reach.size() < majority()) {
      throw new IllegalStateException("no majority for the epoch write");
    }
    long recorded = reach.stream().mapToLong(m -> m.recordCopy).max().orElse(0);
    if (recorded >= proposed) {
      member.recordCopy = recorded;
      member.learn(recorded);
      return TermRunner.ClaimOutcome.lost(recorded);
    }
    for (SimMember m : reach) {
      m.recordCopy = proposed;
      m.learn(proposed); // the entry listener
    }
    member.storeEpoch = Math.max(member.storeEpoch, proposed);
    return TermRunner.ClaimOutcome.won(proposed);
  }

  /** The highest epoch the replicas in a view announced when they joined (Hazelcast member attributes). */
  long announced(List<String> view) {
    return members.stream().filter(m -> view.contains(m.id)).mapToLong(m -> m.joinEpoch).max().orElse(0);
  }

  void began(SimMember member, long epoch) {
    note(member.id + " begins epoch " + epoch);
    String other = beganBy.get(epoch);
    if (other != null && !other.equals(member.id)) {
      fail("two replicas began epoch " + epoch + ": " + other + " and " + member.id);
    }
    if (epoch <= highestBegun) {
      fail(member.id + " began epoch " + epoch + " after epoch " + highestBegun + " had begun");
    }
    begins++;
    beganBy.put(epoch, member.id);
    beganAt.put(epoch, scheduler.now());
    highestBegun = epoch;
  }

  // --- traffic: commands from leading replicas, heartbeats from workers ---

  private void command(SimMember member) {
    long epoch = member.acting;
    if (!member.alive || epoch == 0) {
      return;
    }
    SimWorker worker = workers.get(scheduler.random.nextInt(workers.size()));
    long sentAt = scheduler.now();
    network.send(member.id, worker.id, () -> delivered(worker, epoch, member.id, sentAt));
  }

  private void delivered(SimWorker worker, long epoch, String sender, long sentAt) {
    if (!worker.alive) {
      return;
    }
    long before = shown.getOrDefault(worker.id, 0L);
    shown.put(worker.id, Math.max(before, epoch));
    if (!worker.admit(epoch)) {
      refused++;
      return;
    }
    acceptedEpoch.merge(worker.id, epoch, Math::max);
    if (epoch < before) {
      fail(worker.id + " accepted a command of epoch " + epoch + " after it was shown epoch " + before);
    }
    if (!sender.equals(beganBy.get(epoch))) {
      fail(worker.id + " accepted epoch " + epoch + " from " + sender + ", but " + beganBy.get(epoch) + " began it");
    }
    Long newer = beganBy.keySet().stream().filter(e -> e > epoch).min(Comparator.naturalOrder()).orElse(null);
    if (newer != null) {
      long overlap = sentAt - beganAt.get(newer);
      maxOverlapMs = Math.max(maxOverlapMs, overlap);
      if (overlap > OVERLAP_BOUND_MS) {
        fail(worker.id + " accepted a command of epoch " + epoch + " that " + sender + " sent " + overlap
            + " ms after epoch " + newer + " began (more than " + OVERLAP_BOUND_MS + " ms: two terms acting)");
      }
    }
  }

  private void heartbeat(SimWorker worker) {
    if (!worker.alive) {
      return;
    }
    SimMember member = members.get(scheduler.random.nextInt(members.size()));
    network.send(worker.id, member.id, () -> {
      long epoch = member.acting;
      if (member.alive && epoch > 0) {
        network.send(member.id, worker.id, () -> {
          if (worker.alive) {
            shown.merge(worker.id, epoch, Math::max);
            worker.guard.observe(epoch);
          }
        });
      }
    });
  }

  // --- membership views (what Hazelcast tells each replica, late) ---

  private void topologyChanged() {
    for (SimMember member : members) {
      if (member.alive) {
        int incarnation = member.incarnation;
        long delay = DETECT_MIN_MS + scheduler.random.nextLong(DETECT_MAX_MS - DETECT_MIN_MS + 1);
        scheduler.after(delay, () -> {
          if (member.alive && member.incarnation == incarnation) {
            refresh(member);
          }
        });
      }
    }
  }

  /** The replica's view becomes what it reaches now, oldest first; its copy of the record syncs with theirs. */
  private void refresh(SimMember member) {
    List<SimMember> reach = reachable(member);
    member.view = reach.stream().sorted(Comparator.comparingLong(m -> m.age)).map(m -> m.id).toList();
    member.recordCopy = reach.stream().mapToLong(m -> m.recordCopy).max().orElse(0);
    member.learn(member.recordCopy);
    member.evaluate();
  }

  private List<SimMember> reachable(SimMember member) {
    return members.stream().filter(m -> m.alive && network.connected(member.id, m.id)).toList();
  }

  private int majority() {
    return configured / 2 + 1;
  }

  // --- faults ---

  private void fault() {
    if (!faults) {
      return;
    }
    int kind = scheduler.random.nextInt(8);
    switch (kind) {
      case 0, 1 -> {
        List<SimMember> alive = members.stream().filter(m -> m.alive).toList();
        if (!alive.isEmpty()) {
          SimMember leader = alive.stream().filter(m -> m.acting > 0).findFirst().orElse(null);
          SimMember victim = leader != null && scheduler.random.nextBoolean() ? leader
              : alive.get(scheduler.random.nextInt(alive.size()));
          note("kill " + victim.id);
          victim.kill();
          topologyChanged();
        }
      }
      case 2 -> members.stream().filter(m -> !m.alive).findAny().ifPresent(m -> {
        note("restart " + m.id);
        m.restart(nextAge++);
        topologyChanged();
      });
      case 3 -> {
        StringBuilder groups = new StringBuilder();
        members.forEach(m -> network.group(m.id, scheduler.random.nextInt(2)));
        workers.forEach(w -> network.group(w.id, scheduler.random.nextInt(2)));
        members.forEach(m -> groups.append(m.id).append('=').append(network.group(m.id)).append(' '));
        note("partition " + groups.toString().trim());
        topologyChanged();
      }
      case 4 -> {
        note("heal");
        heal();
      }
      case 5 -> {
        SimWorker worker = workers.get(scheduler.random.nextInt(workers.size()));
        if (worker.alive) {
          note("kill " + worker.id);
          worker.kill();
        } else {
          note("restart " + worker.id);
          worker.restart();
        }
      }
      default -> {
        network.dropRate = scheduler.random.nextDouble() * 0.3;
        network.duplicateRate = scheduler.random.nextDouble() * 0.3;
        network.lateRate = scheduler.random.nextDouble() * 0.3;
      }
    }
    scheduler.after(200 + scheduler.random.nextLong(1_000), this::fault);
  }

  /** Hazelcast merges the smaller sides into the largest: their members join again, as the youngest. */
  private void heal() {
    Map<Integer, List<SimMember>> sides = new HashMap<>();
    members.stream().filter(m -> m.alive).sorted(Comparator.comparingLong(m -> m.age))
        .forEach(m -> sides.computeIfAbsent(network.group(m.id), g -> new ArrayList<>()).add(m));
    Integer largest = sides.entrySet().stream()
        .max(Comparator.<Map.Entry<Integer, List<SimMember>>>comparingInt(e -> e.getValue().size())
            .thenComparing(e -> -e.getValue().getFirst().age))
        .map(Map.Entry::getKey).orElse(0);
    sides.forEach((group, side) -> {
      if (!group.equals(largest)) {
        side.forEach(m -> m.age = nextAge++);
      }
    });
    network.heal();
    topologyChanged();
  }

  // --- invariants ---

  /** After every event. */
  private void check() {
    Map<Long, String> acting = new HashMap<>();
    for (SimMember member : members) {
      long stored = lastStore.getOrDefault(member.id, 0L);
      if (member.storeEpoch < stored) {
        fail(member.id + " stored epoch went back from " + stored + " to " + member.storeEpoch);
      }
      lastStore.put(member.id, member.storeEpoch);
      if (member.acting > 0) {
        String other = acting.put(member.acting, member.id);
        if (other != null) {
          fail(other + " and " + member.id + " both act in epoch " + member.acting);
        }
        long last = lastActing.getOrDefault(member.id, 0L);
        if (member.acting < last) {
          fail(member.id + " acts in epoch " + member.acting + " after acting in " + last);
        }
        lastActing.put(member.id, member.acting);
      }
    }
    for (SimWorker worker : workers) {
      long last = lastGuard.getOrDefault(worker.id, 0L);
      if (worker.guard.highest() < last) {
        fail(worker.id + " forgot epoch " + last + " (now " + worker.guard.highest() + ")");
      }
      lastGuard.put(worker.id, worker.guard.highest());
    }
  }

  /** One replica leads in the highest epoch begun, every replica names it, every worker took its commands. */
  private boolean converged() {
    List<SimMember> leading = members.stream().filter(m -> m.acting > 0).toList();
    if (leading.size() != 1 || leading.getFirst().acting != highestBegun) {
      return false;
    }
    SimMember leader = leading.getFirst();
    boolean named = members.stream().allMatch(m -> leader.id.equals(m.term.leader())
        && m.term.publishedEpoch() == leader.acting);
    return named && workers.stream().allMatch(w -> acceptedEpoch.getOrDefault(w.id, 0L) == leader.acting);
  }

  private String describe() {
    StringBuilder out = new StringBuilder();
    members.forEach(m -> out.append(String.format("%n  %s alive=%s age=%d view=%s term=%s acting=%d store=%d",
        m.id, m.alive, m.age, m.view, m.term, m.acting, m.storeEpoch)));
    workers.forEach(w -> out.append(String.format("%n  %s alive=%s highest=%d accepted=%d", w.id, w.alive,
        w.guard.highest(), acceptedEpoch.getOrDefault(w.id, 0L))));
    return out.toString();
  }

  private void note(String event) {
    trace.addLast(scheduler.now() + " ms: " + event);
    if (trace.size() > TRACE) {
      trace.removeFirst();
    }
  }

  private void fail(String violation) {
    throw new AssertionError("seed " + seed + " (" + configured + " replicas), at " + scheduler.now() + " ms: "
        + violation + "\n  replay: -Dpulse.sim.seed=" + seed + "\n  last events:\n    "
        + String.join("\n    ", trace));
  }
}
