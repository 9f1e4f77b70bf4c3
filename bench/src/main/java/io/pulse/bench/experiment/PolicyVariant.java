package io.pulse.bench.experiment;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A policy as a replay runs it: {@code kpa}, {@code kpa+prewarm2} (the same policy with sandbox pools: every
 * function's {@code scaling.prewarm} 2 on a worker whose pool budget holds them all) or {@code kpa+prewarmauto}
 * (every function's {@code scaling.prewarm} {@code "auto"}: the leader sizes the pools from the creation rate, within
 * a budget of {@link #AUTO_MEMBERS_PER_FUNCTION} members per function).
 *
 * @param label what the replay reports it as
 * @param policy the scaling policy
 * @param prewarm pool members per function (0: none, or automatic when {@code auto})
 * @param auto whether the leader sizes the pools
 */
public record PolicyVariant(String label, String policy, int prewarm, boolean auto) {

  private static final String PREWARM = "+prewarm";
  private static final String AUTO = "auto";
  /** The budget of automatic pools, per function: large enough that the sizing, not the budget, decides. */
  static final int AUTO_MEMBERS_PER_FUNCTION = 8;

  public PolicyVariant(String label, String policy, int prewarm) {
    this(label, policy, prewarm, false);
  }

  public static PolicyVariant parse(String label) {
    int at = label.indexOf(PREWARM);
    if (at < 0) {
      return new PolicyVariant(label, label, 0);
    }
    String count = label.substring(at + PREWARM.length());
    if (count.equals(AUTO)) {
      return new PolicyVariant(label, label.substring(0, at), 0, true);
    }
    int prewarm;
    try {
      prewarm = Integer.parseInt(count);
    } catch (NumberFormatException e) {
      prewarm = -1;
    }
    if (prewarm < 1 || prewarm > 64) {
      throw new IllegalArgumentException("--policies: " + label
          + ": prewarm must be 1..64 or auto (as POLICY+prewarmN, POLICY+prewarmauto)");
    }
    return new PolicyVariant(label, label.substring(0, at), prewarm);
  }

  /** {@code policies}, then each of them with pools of {@code prewarm} (0..64 members per function, or "auto"). */
  public static List<String> withPools(List<String> policies, String prewarm) {
    if (!prewarm.equals(AUTO)) {
      int count;
      try {
        count = Integer.parseInt(prewarm);
      } catch (NumberFormatException e) {
        count = -1;
      }
      if (count < 0 || count > 64) {
        throw new IllegalArgumentException("--prewarm must be 0..64 or auto, was " + prewarm);
      }
      if (count == 0) {
        return List.copyOf(policies);
      }
    }
    List<String> all = new ArrayList<>(policies);
    policies.forEach(p -> all.add(p + PREWARM + prewarm));
    return all;
  }

  /** Whether the functions have pools. */
  public boolean pooled() {
    return auto || prewarm > 0;
  }

  /** What {@code scaling.prewarm} says: the count, or "auto". */
  Object prewarmSetting() {
    return auto ? AUTO : prewarm;
  }

  /** Pool members per function the worker's budget must hold. */
  int budgetPerFunction() {
    return auto ? AUTO_MEMBERS_PER_FUNCTION : prewarm;
  }

  /** The same policy without pools, when this one has them. */
  public @Nullable String withoutPools() {
    return pooled() ? policy : null;
  }
}
