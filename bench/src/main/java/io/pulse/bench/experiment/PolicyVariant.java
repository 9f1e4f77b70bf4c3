package io.pulse.bench.experiment;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A policy as a replay runs it: {@code kpa}, {@code kpa+prewarm2} (the same policy with sandbox pools: every
 * function's {@code scaling.prewarm} 2 on a worker whose pool budget holds them all), {@code dual-track+eka500} (every
 * function's {@code scaling.emergencyKeepAliveMs} 500), or both suffixes, in that order.
 *
 * @param label what the replay reports it as
 * @param policy the scaling policy
 * @param prewarm pool members per function (0: no pools)
 * @param emergencyKeepAliveMs the functions' Emergency Instance keep-alive; {@link #DEFAULT}: the platform's default
 */
public record PolicyVariant(String label, String policy, int prewarm, int emergencyKeepAliveMs) {

  /** No {@code +eka} suffix: the spec leaves the field out. */
  public static final int DEFAULT = -1;

  private static final String PREWARM = "+prewarm";
  private static final String KEEP_ALIVE = "+eka";

  public PolicyVariant(String label, String policy, int prewarm) {
    this(label, policy, prewarm, DEFAULT);
  }

  public static PolicyVariant parse(String label) {
    String rest = label;
    int keepAlive = DEFAULT;
    int eka = rest.indexOf(KEEP_ALIVE);
    if (eka >= 0) {
      keepAlive = number(rest.substring(eka + KEEP_ALIVE.length()), 0, 600_000,
          label + ": the Emergency keep-alive must be 0..600000 ms (as POLICY+ekaMS)");
      rest = rest.substring(0, eka);
    }
    int at = rest.indexOf(PREWARM);
    if (at < 0) {
      return new PolicyVariant(label, rest, 0, keepAlive);
    }
    int prewarm = number(rest.substring(at + PREWARM.length()), 1, 64,
        label + ": prewarm must be 1..64 (as POLICY+prewarmN)");
    return new PolicyVariant(label, rest.substring(0, at), prewarm, keepAlive);
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

  private static int number(String text, int min, int max, String message) {
    int value;
    try {
      value = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--policies: " + message, e);
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException("--policies: " + message);
    }
    return value;
  }
}
