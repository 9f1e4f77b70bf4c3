package io.pulse.controlplane.term;

import java.util.HashMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The in-memory network between simulated replicas and workers: every node sits in a partition group (all in group 0
 * when healed); a message is delayed at random, may be dropped or delivered twice, and arrives only if sender and
 * receiver are in the same group at delivery and the receiver is the same incarnation it was sent to. A share of the
 * messages ({@link #lateRate}) is held up to {@link #LATE_MAX_MS} (a retransmission, a paused process), so that old
 * commands arrive after newer ones: what the workers' fencing is for.
 */
public final class SimNetwork {

  /** How long a message (or its duplicate) usually travels, at most. */
  public static final long MAX_DELAY_MS = 60;
  /** How long a late message travels, at most. */
  public static final long LATE_MAX_MS = 3_000;

  private final SimScheduler scheduler;
  private final Map<String, Integer> groups = new HashMap<>();
  private final Map<String, IntSupplier> incarnations = new HashMap<>();
  public double dropRate;
  public double duplicateRate;
  public double lateRate;

  public SimNetwork(SimScheduler scheduler) {
    this.scheduler = scheduler;
  }

  public void register(String node, IntSupplier incarnation) {
    groups.put(node, 0);
    incarnations.put(node, incarnation);
  }

  public void group(String node, int group) {
    groups.put(node, group);
  }

  public int group(String node) {
    return groups.get(node);
  }

  public void heal() {
    groups.replaceAll((node, group) -> 0);
  }

  public boolean connected(String a, String b) {
    return groups.get(a).intValue() == groups.get(b).intValue();
  }

  /** Sends {@code delivery} from one node to another, through every fault of the network. */
  public void send(String from, String to, Runnable delivery) {
    if (scheduler.random.nextDouble() < dropRate) {
      return;
    }
    int incarnation = incarnations.get(to).getAsInt();
    int copies = scheduler.random.nextDouble() < duplicateRate ? 2 : 1;
    for (int i = 0; i < copies; i++) {
      boolean late = scheduler.random.nextDouble() < lateRate;
      scheduler.after(1 + scheduler.random.nextLong(late ? LATE_MAX_MS : MAX_DELAY_MS), () -> {
        if (connected(from, to) && incarnations.get(to).getAsInt() == incarnation) {
          delivery.run();
        }
      });
    }
  }
}
