package io.pulse.bench.experiment;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A policy as a replay runs it: {@code kpa}, or {@code kpa+prewarm2} (the same policy with sandbox pools: every
 * function's {@code scaling.prewarm} 2 on a worker whose pool budget holds them all).
 *
 * @param label what the replay reports it as
 * @param policy the scaling policy
 * @param prewarm pool members per function (0: no pools)
 */
public record PolicyVariant(String label, String policy, int prewarm) {

  private static final String PREWARM = "+prewarm";

  public static PolicyVariant parse(String label) {
    int at = label.indexOf(PREWARM);
    if (at < 0) {
      return new PolicyVariant(label, label, 0);
    }
    int prewarm;
    try {
      prewarm = Integer.parseInt(label.substring(at + PREWARM.length()));
    } catch (NumberFormatException e) {
      prewarm = -1;
    }
    if (prewarm < 1 || prewarm > 64) {
      throw new IllegalArgumentException("--policies: " + label + ": prewarm must be 1..64 (as POLICY+prewarmN)");
    }
    return new PolicyVariant(label, label.substring(0, at), prewarm);
  }

  /** {@code policies}, then each of them with {@code prewarm} pool members per function (none when 0). */
  public static List<String> withPools(List<String> policies, int prewarm) {
    if (prewarm < 0 || prewarm > 64) {
      throw new IllegalArgumentException("--prewarm must be 0..64, was " + prewarm);
    }
    List<String> all = new ArrayList<>(policies);
    if (prewarm > 0) {
      policies.forEach(p -> all.add(p + PREWARM + prewarm));
    }
    return all;
  }

  /** The same policy without pools, when this one has them. */
  public @Nullable String withoutPools() {
    return prewarm > 0 ? policy : null;
  }
}
