package io.pulse.bench.experiment;

import io.pulse.bench.driver.DualTrackOverrides;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A policy as a replay runs it: {@code kpa}, {@code kpa+prewarm2} (the same policy with sandbox pools: every
 * function's {@code scaling.prewarm} 2 on a worker whose pool budget holds them all), {@code kpa+prewarmauto} (every
 * function's {@code scaling.prewarm} {@code "auto"}: the leader sizes the pools from the creation rate, within a
 * budget of {@link #AUTO_MEMBERS_PER_FUNCTION} members per function), {@code dual-track+eka500} (every function's
 * {@code scaling.emergencyKeepAliveMs} 500), {@code dual-track+ika1} (the control plane's
 * {@code --dual-track-idle-keep-alive} 1: the function's keep-alive only, not its idle history),
 * {@code dual-track+hcs0} (the control plane's {@code --dual-track-hold-min-cold-share} 0: the idle hold whatever the
 * calls' length; {@code +hcs30} is 0.30, the default: only for functions whose creation time is at least 30 % of their
 * calls' mean execution time), {@code dual-track+panic} /
 * {@code dual-track+nopanic} (the control plane's {@code --dual-track-panic} true / false), {@code dual-track+slack0}
 * (the control plane's {@code --dual-track-fleet-slack}, in percent of an instance), {@code dual-track+hb128} (the
 * control plane's {@code --dual-track-hold-budget-mib}), or a pool suffix, then an Emergency keep-alive suffix, then
 * an idle keep-alive suffix, then a cold-share suffix, then a panic suffix, then a slack suffix, then a hold-budget
 * suffix, in that order.
 *
 * @param label what the replay reports it as
 * @param policy the scaling policy
 * @param prewarm pool members per function (0: none, or automatic when {@code auto})
 * @param auto whether the leader sizes the pools
 * @param emergencyKeepAliveMs the functions' Emergency Instance keep-alive; {@link #DEFAULT}: the platform's default
 * @param dualTrack the control plane's dual-track settings the suffixes set (the rest: its defaults)
 */
public record PolicyVariant(String label, String policy, int prewarm, boolean auto, int emergencyKeepAliveMs,
    DualTrackOverrides dualTrack) {

  /** No {@code +eka} suffix: the spec leaves the field out. */
  public static final int DEFAULT = -1;

  private static final String PREWARM = "+prewarm";
  private static final String KEEP_ALIVE = "+eka";
  private static final String IDLE_KEEP_ALIVE = "+ika";
  private static final String COLD_SHARE = "+hcs";
  private static final String AUTO = "auto";
  private static final String PANIC = "+panic";
  private static final String NO_PANIC = "+nopanic";
  private static final String SLACK = "+slack";
  private static final String HOLD_BUDGET = "+hb";
  /** The budget of automatic pools, per function: large enough that the sizing, not the budget, decides. */
  static final int AUTO_MEMBERS_PER_FUNCTION = 8;

  public PolicyVariant(String label, String policy, int prewarm) {
    this(label, policy, prewarm, false, DEFAULT, DualTrackOverrides.NONE);
  }

  public PolicyVariant(String label, String policy, int prewarm, boolean auto) {
    this(label, policy, prewarm, auto, DEFAULT, DualTrackOverrides.NONE);
  }

  public PolicyVariant(String label, String policy, int prewarm, int emergencyKeepAliveMs) {
    this(label, policy, prewarm, false, emergencyKeepAliveMs, DualTrackOverrides.NONE);
  }

  public static PolicyVariant parse(String label) {
    Suffix budget = Suffix.of(label, HOLD_BUDGET, 0, 1_048_576,
        label + ": the idle hold's memory budget must be 0..1048576 MiB (as POLICY+hbMIB)");
    Suffix slack = Suffix.of(budget.rest(), SLACK, 0, 99,
        label + ": the fleet slack must be 0..99 % of an instance (as POLICY+slackPERCENT)");
    String rest = slack.rest();
    Boolean panic = null;
    if (rest.endsWith(NO_PANIC)) {
      panic = false;
      rest = rest.substring(0, rest.length() - NO_PANIC.length());
    } else if (rest.endsWith(PANIC)) {
      panic = true;
      rest = rest.substring(0, rest.length() - PANIC.length());
    }
    Suffix coldShare = Suffix.of(rest, COLD_SHARE, 0, 10_000,
        label + ": the idle hold's least cold-start share must be 0..10000 % (as POLICY+hcsPERCENT)");
    Suffix idle = Suffix.of(coldShare.rest(), IDLE_KEEP_ALIVE, 1, 100,
        label + ": the idle keep-alive factor must be 1..100 (as POLICY+ikaN)");
    Suffix emergency = Suffix.of(idle.rest(), KEEP_ALIVE, 0, 600_000,
        label + ": the Emergency keep-alive must be 0..600000 ms (as POLICY+ekaMS)");
    DualTrackOverrides dualTrack = new DualTrackOverrides(panic, idle.value(), coldShare.fraction(),
        slack.fraction(), budget.value());
    int keepAlive = emergency.value() == null ? DEFAULT : emergency.value();
    rest = emergency.rest();
    int at = rest.indexOf(PREWARM);
    if (at < 0) {
      return new PolicyVariant(label, rest, 0, false, keepAlive, dualTrack);
    }
    String count = rest.substring(at + PREWARM.length());
    boolean auto = count.equals(AUTO);
    int prewarm = auto ? 0 : number(count, 1, 64,
        label + ": prewarm must be 1..64 or auto (as POLICY+prewarmN, POLICY+prewarmauto)");
    return new PolicyVariant(label, rest.substring(0, at), prewarm, auto, keepAlive, dualTrack);
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

  /**
   * The policy without any of this variant's settings (pools, keep-alives, panic), when it has any: what a same-run
   * comparison measures the variant against.
   */
  public @Nullable String base() {
    return label.equals(policy) ? null : policy;
  }

  /** A label without its {@code marker}-number suffix, and that number (null without the marker). */
  private record Suffix(String rest, @Nullable Integer value) {

    static Suffix of(String label, String marker, int min, int max, String message) {
      int at = label.indexOf(marker);
      return at < 0 ? new Suffix(label, null)
          : new Suffix(label.substring(0, at), number(label.substring(at + marker.length()), min, max, message));
    }

    /** The number as a fraction of 100 (a percentage suffix); null without the marker. */
    @Nullable Double fraction() {
      return value == null ? null : value / 100.0;
    }
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
