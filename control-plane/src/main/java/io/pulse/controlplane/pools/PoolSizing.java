package io.pulse.controlplane.pools;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Automatic pool sizing ({@code scaling.prewarm: "auto"}), as a pure function. A member holds memory until a creation
 * claims it, so pools are sized by what they save, where it is saved:
 * <ul>
 *   <li>Only a function that is scaling out gets pools: at least {@link #BURST} creations within the window (a sixth of
 *       its keep-alive). A lone creation after an idle gap says only that the function woke; no pool could have
 *       caught it, and holding one through the gaps costs as much as keeping an instance alive through them.
 *   <li>By Little's law a pool claimed at rate λ whose members take T to refill has λ·T members being refilled on
 *       average; each worker holds {@code margin} times that (at least one) for the creations that land on it, none
 *       where none landed (creations on a worker without pools are shared out over the pooling ones).
 *   <li>When the creations stop, the window empties and every target falls to 0: a pool is held at most a window
 *       after the last creation.
 *   <li>A worker's budget is shared out one member at a time, the most created function first, so a busy function
 *       cannot take it all and no worker is ever asked for more than it may hold.
 * </ul>
 */
public final class PoolSizing {

  /**
   * @param margin how many times the Little's-law mean each pool holds (bursts)
   * @param maxPerWorker the most members one function's pool on one worker gets (the fixed prewarm's bound)
   */
  public record Settings(double margin, int maxPerWorker) {
    public static final Settings DEFAULTS = new Settings(2.0, 64);

    public Settings {
      if (!(margin >= 1.0) || maxPerWorker < 1) {
        throw new IllegalArgumentException("pool sizing needs margin >= 1 and maxPerWorker >= 1, was " + margin
            + " and " + maxPerWorker);
      }
    }
  }

  /** Creations within the window that make a function a scaling-out one (see the class comment). */
  static final double BURST = 2;

  /**
   * One function with automatic pools.
   *
   * @param creations its creations (both tracks) within the last {@code windowSeconds} on each worker where some landed
   * @param refillSeconds how long creating one member takes
   * @param memoryMiB what one member holds
   */
  public record Demand(String function, Map<String, Double> creations, double windowSeconds, double refillSeconds,
      int memoryMiB) {

    public Demand {
      creations = Map.copyOf(creations);
      if (!(windowSeconds > 0)) {
        throw new IllegalArgumentException("windowSeconds must be > 0, was " + windowSeconds);
      }
    }

    double total() {
      return creations.values().stream().mapToDouble(Double::doubleValue).sum();
    }
  }

  /** What one pooling worker may still hold for automatic pools. */
  public record Budget(String workerId, int members, long memoryMiB) {}

  private PoolSizing() {}

  /** Members of one worker's pool for creations landing there at {@code perSecond}: 0 for none, else at least 1. */
  static int members(double perSecond, double refillSeconds, Settings settings) {
    if (!(perSecond > 0)) {
      return 0;
    }
    double mean = perSecond * Math.max(0, refillSeconds);
    return (int) Math.min(settings.maxPerWorker(), Math.max(1, Math.ceil(settings.margin() * mean)));
  }

  /**
   * The inverse of {@link #members}: a creation rate for which it gives {@code members} (a new leader recovering the
   * rate behind the targets the previous one set); 0 for none.
   */
  static double creationsPerSecond(int members, double refillSeconds, Settings settings) {
    if (members <= 0) {
      return 0;
    }
    // Half a member below: the ceiling gives back exactly members, whatever the rounding of the product.
    return (members - 0.5) / (settings.margin() * Math.max(refillSeconds, 1e-3));
  }

  /**
   * Each worker's target for each function: every worker of {@code budgets} gets an entry for every demand (0 where
   * it holds none), so the caller can tell a pool to drain.
   */
  public static Map<String, Map<String, Integer>> targets(Collection<Demand> demands, Collection<Budget> budgets,
      Settings settings) {
    Set<String> pooling = new HashSet<>();
    budgets.stream().filter(b -> b.members() > 0).forEach(b -> pooling.add(b.workerId()));
    List<Demand> order = new ArrayList<>(demands);
    order.sort(Comparator.comparingDouble(Demand::total).reversed().thenComparing(Demand::function));
    Map<String, Map<String, Integer>> targets = new HashMap<>();
    for (Budget budget : budgets) {
      Map<String, Integer> wanted = new HashMap<>();
      for (Demand demand : order) {
        boolean pays = pooling.contains(budget.workerId()) && demand.total() >= BURST;
        wanted.put(demand.function(), pays
            ? members(landing(demand, budget.workerId(), pooling), demand.refillSeconds(), settings) : 0);
      }
      targets.put(budget.workerId(), share(order, wanted, budget));
    }
    return targets;
  }

  /** The creations per second a pooling worker's pool serves: its own, and its share of those on no pooling one. */
  static double landing(Demand demand, String workerId, Set<String> pooling) {
    double elsewhere = 0;
    for (Map.Entry<String, Double> landed : demand.creations().entrySet()) {
      elsewhere += pooling.contains(landed.getKey()) ? 0 : landed.getValue();
    }
    return (demand.creations().getOrDefault(workerId, 0.0) + elsewhere / pooling.size()) / demand.windowSeconds();
  }

  /** Round by round, one more member to each function that wants it and still fits. */
  private static Map<String, Integer> share(List<Demand> order, Map<String, Integer> wanted, Budget budget) {
    Map<String, Integer> given = new HashMap<>();
    order.forEach(d -> given.put(d.function(), 0));
    int members = budget.members();
    long memory = budget.memoryMiB();
    boolean gave = true;
    for (int round = 1; gave && members > 0; round++) {
      gave = false;
      for (Demand demand : order) {
        int memoryMiB = Math.max(0, demand.memoryMiB());
        if (wanted.get(demand.function()) >= round && members > 0 && memoryMiB <= memory) {
          given.merge(demand.function(), 1, Integer::sum);
          members--;
          memory -= memoryMiB;
          gave = true;
        }
      }
    }
    return given;
  }
}
