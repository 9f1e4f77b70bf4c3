package io.pulse.controlplane.pools;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Automatic pool sizing ({@code scaling.prewarm: "auto"}), as a pure function. By Little's law a pool that is claimed
 * at rate λ and takes T to refill a member has λ·T members being refilled on average; holding {@code margin} times
 * that (at least one while the function is created at all) keeps a claim from finding it empty. The function's
 * creations land on every pooling worker (the expedited track round-robins, the standard track spreads), so each
 * worker holds its share. A worker's budget is shared out one member at a time, the most created function first, so a
 * busy function cannot take it all and no worker is ever asked for more than it may hold.
 */
public final class PoolSizing {

  /**
   * @param margin how many times the Little's-law mean each pool holds (bursts, skew between workers)
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
   * @param creationsPerSecond its recent creation rate, both tracks
   * @param refillSeconds how long creating one member takes
   * @param memoryMiB what one member holds
   */
  public record Demand(String function, double creationsPerSecond, double refillSeconds, int memoryMiB) {}

  /** What one pooling worker may still hold for automatic pools. */
  public record Budget(String workerId, int members, long memoryMiB) {}

  private PoolSizing() {}

  /** Members of the whole cluster a demand calls for: 0 when it is not created, else at least 1. */
  static int clusterMembers(Demand demand, Settings settings) {
    double mean = demand.creationsPerSecond() * Math.max(0, demand.refillSeconds());
    if (!(demand.creationsPerSecond() > 0)) {
      return 0;
    }
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, Math.ceil(settings.margin() * mean)));
  }

  /**
   * The inverse of {@link #clusterMembers}: a creation rate for which it gives {@code members} (a new leader
   * recovering the rate behind the targets the previous one set); 0 for none.
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
    long pooling = budgets.stream().filter(b -> b.members() > 0).count();
    List<Demand> order = new ArrayList<>(demands);
    order.sort(Comparator.comparingDouble(Demand::creationsPerSecond).reversed().thenComparing(Demand::function));
    Map<String, Integer> wanted = new HashMap<>();
    for (Demand demand : order) {
      int members = clusterMembers(demand, settings);
      wanted.put(demand.function(), pooling == 0 ? 0
          : (int) Math.min(settings.maxPerWorker(), (members + pooling - 1) / pooling));
    }
    Map<String, Map<String, Integer>> targets = new HashMap<>();
    for (Budget budget : budgets) {
      targets.put(budget.workerId(), share(order, wanted, budget));
    }
    return targets;
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
