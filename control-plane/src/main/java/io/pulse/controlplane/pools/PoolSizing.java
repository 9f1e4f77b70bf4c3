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
 * Automatic pool sizing ({@code scaling.prewarm: "auto"}), as a pure function. A pool member pays only when a creation
 * claims it, so a worker's pool is sized by the creations that land on it: by Little's law a pool claimed at rate λ
 * whose members take T to refill has λ·T members being refilled on average; holding {@code margin} times that (at
 * least one while the function is created there at all) keeps a claim from finding it empty. A worker where no
 * creation landed gets none (creations on a worker without pools are shared out over the pooling ones), and the rate
 * is 0 once the function was idle for its keep-alive ({@link CreationLog}). A worker's budget is shared out one member
 * at a time, the most created function first, so a busy function cannot take it all and no worker is ever asked for
 * more than it may hold.
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

  /**
   * One function with automatic pools.
   *
   * @param creationsPerSecond its recent creation rate (both tracks) on each worker where some landed
   * @param refillSeconds how long creating one member takes
   * @param memoryMiB what one member holds
   */
  public record Demand(String function, Map<String, Double> creationsPerSecond, double refillSeconds,
      int memoryMiB) {

    public Demand {
      creationsPerSecond = Map.copyOf(creationsPerSecond);
    }

    double total() {
      return creationsPerSecond.values().stream().mapToDouble(Double::doubleValue).sum();
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
        wanted.put(demand.function(), pooling.contains(budget.workerId())
            ? members(landing(demand, budget.workerId(), pooling), demand.refillSeconds(), settings) : 0);
      }
      targets.put(budget.workerId(), share(order, wanted, budget));
    }
    return targets;
  }

  /** The creations per second a pooling worker's pool serves: its own, and its share of those on no pooling one. */
  static double landing(Demand demand, String workerId, Set<String> pooling) {
    double elsewhere = 0;
    for (Map.Entry<String, Double> rate : demand.creationsPerSecond().entrySet()) {
      elsewhere += pooling.contains(rate.getKey()) ? 0 : rate.getValue();
    }
    return demand.creationsPerSecond().getOrDefault(workerId, 0.0) + elsewhere / pooling.size();
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
