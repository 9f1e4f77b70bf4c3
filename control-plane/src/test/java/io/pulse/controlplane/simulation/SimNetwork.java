package io.pulse.controlplane.simulation;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * The in-memory network between simulated replicas and workers: every node sits in a partition group (all in group 0
 * when healed), and single links may be cut besides; a message is delayed at random, may be dropped or delivered twice, and arrives only if sender and
 * receiver are connected at delivery and the receiver is the same incarnation it was sent to. A share of the
 * messages ({@link #lateRate}) is held up to {@link #LATE_MAX_MS} (a retransmission, a paused process), so that old
 * commands arrive after newer ones: what the workers' fencing is for.
 */
final class SimNetwork {

  /** How long a message (or its duplicate) usually travels, at most. */
  static final long MAX_DELAY_MS = 60;
  /** How long a late message travels, at most. */
  static final long LATE_MAX_MS = 3_000;

  private final SimScheduler scheduler;
  private final Map<String, Integer> groups = new HashMap<>();
  private final Map<String, IntSupplier> incarnations = new HashMap<>();
  /** Links cut on top of the groups (a replica cut off from the other replicas, the workers still reaching both). */
  private final Set<String> cuts = new HashSet<>();
  /** Nodes whose outgoing messages are held until then (a stalled process or link): they leave all at once. */
  private final Map<String, Long> stalledUntil = new HashMap<>();
  double dropRate;
  double duplicateRate;
  double lateRate;

  SimNetwork(SimScheduler scheduler) {
    this.scheduler = scheduler;
  }

  void register(String node, IntSupplier incarnation) {
    groups.put(node, 0);
    incarnations.put(node, incarnation);
  }

  void group(String node, int group) {
    groups.put(node, group);
  }

  int group(String node) {
    return groups.get(node);
  }

  void heal() {
    groups.replaceAll((node, group) -> 0);
    cuts.clear();
  }

  void stall(String node, long untilMillis) {
    stalledUntil.put(node, untilMillis);
  }

  void cut(String a, String b) {
    cuts.add(link(a, b));
  }

  boolean connected(String a, String b) {
    return groups.get(a).intValue() == groups.get(b).intValue() && !cuts.contains(link(a, b));
  }

  private static String link(String a, String b) {
    return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
  }

  /** Sends {@code delivery} from one node to another, through every fault of the network. */
  void send(String from, String to, Runnable delivery) {
    if (scheduler.random.nextDouble() < dropRate) {
      return;
    }
    int incarnation = incarnations.get(to).getAsInt();
    int copies = scheduler.random.nextDouble() < duplicateRate ? 2 : 1;
    long held = Math.max(0, stalledUntil.getOrDefault(from, 0L) - scheduler.now());
    for (int i = 0; i < copies; i++) {
      boolean late = scheduler.random.nextDouble() < lateRate;
      scheduler.after(held + 1 + scheduler.random.nextLong(late ? LATE_MAX_MS : MAX_DELAY_MS), () -> {
        if (connected(from, to) && incarnations.get(to).getAsInt() == incarnation) {
          delivery.run();
        }
      });
    }
  }
}
