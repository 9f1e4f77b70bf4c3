package io.pulse.controlplane.autoscale;

/**
 * How long a function's last Regular Instance is kept after its last request: its keep-alive, or longer when its
 * recent idle gaps say the next request usually comes soon after that. As the hybrid histogram policy of "Serverless
 * in the Wild" (Shahrad et al., ATC '20) keeps an application loaded through the idle times its history shows, from a
 * short history: the last {@link IdleGaps#KEPT} gaps that outlasted the keep-alive.
 *
 * <p>The rule: when at least {@link #MIN_GAPS} such gaps were seen and most of them lasted at most {@code maxFactor}
 * keep-alives, keep the instance for {@link #MARGIN} times the longest of those, never beyond {@code maxFactor}
 * keep-alives. Holding through a gap that ends within the hold saves a creation (and the request's cold start) for the
 * memory of the extra wait; holding through one that outlasts it saves nothing, hence the majority.
 *
 * <p>With {@code release}, as the same paper's policy unloads an application after its keep-alive and loads it again
 * shortly before its idle time is expected to end (its pre-warming window): when even the shortest of those gaps is
 * long, the instance goes after the keep-alive and a new one is created at {@link #BACK_AT} of the shortest gap, then
 * kept to the end of the hold. That trades one creation per spell for the memory of the stretch in between; a spell
 * shorter than every recent one ends in that stretch on a cold start, and is then the shortest. Pure.
 *
 * @param maxFactor the longest hold, in keep-alives; 1 keeps the fixed keep-alive
 * @param release whether a long hold is released in its middle and brought back before the gap usually ends
 */
public record IdleKeepAlive(int maxFactor, boolean release) {

  /** Gaps needed before the history is trusted. */
  public static final int MIN_GAPS = 2;
  /** Head-room over the longest gap seen: the next may be a little longer. */
  public static final double MARGIN = 1.5;
  /** The fixed keep-alive, as Knative and Dirigent have it. */
  public static final IdleKeepAlive FIXED = new IdleKeepAlive(1);
  /** Where in the shortest gap seen the released instance is back: room for its creation and a shorter spell. */
  public static final double BACK_AT = 0.75;

  /**
   * When an instance is kept after the last activity: until {@code releaseMillis}, and again from {@code backMillis}
   * until {@code untilMillis}; one stretch when {@code releaseMillis == backMillis}.
   */
  public record Hold(long releaseMillis, long backMillis, long untilMillis) {

    static Hold continuous(long untilMillis) {
      return new Hold(untilMillis, untilMillis, untilMillis);
    }

    /** Whether an instance should be there {@code quietMillis} after the last activity. */
    public boolean keeps(long quietMillis) {
      return quietMillis < releaseMillis || (quietMillis >= backMillis && quietMillis < untilMillis);
    }

    /** Whether {@code quietMillis} falls in the stretch after the release where the instance is to be back. */
    public boolean bringsBack(long quietMillis) {
      return releaseMillis < backMillis && quietMillis >= backMillis && quietMillis < untilMillis;
    }
  }

  public IdleKeepAlive(int maxFactor) {
    this(maxFactor, false);
  }

  public IdleKeepAlive {
    if (maxFactor < 1 || maxFactor > 100) {
      throw new IllegalArgumentException("the idle keep-alive factor must be 1..100, was " + maxFactor);
    }
  }

  /** How long to hold after the last activity, given the function's keep-alive and its recent gaps. */
  public long millis(long keepAliveMillis, IdleGaps gaps) {
    if (maxFactor == 1 || gaps.size() < MIN_GAPS) {
      return keepAliveMillis;
    }
    long reach = keepAliveMillis * maxFactor;
    if (2 * gaps.atMost(reach) <= gaps.size()) {
      return keepAliveMillis;
    }
    long hold = (long) Math.ceil(gaps.longestAtMost(reach) * MARGIN);
    return Math.max(keepAliveMillis, Math.min(reach, hold));
  }

  /**
   * The hold of {@link #millis}, released between the keep-alive and {@link #BACK_AT} of the shortest gap within reach
   * when {@code release} is on and that stretch is at least a keep-alive long (a shorter one would not pay for the
   * creation that ends it).
   */
  public Hold hold(long keepAliveMillis, IdleGaps gaps) {
    long until = millis(keepAliveMillis, gaps);
    if (!release || until == keepAliveMillis) {
      return Hold.continuous(until);
    }
    long back = (long) (gaps.shortestAtMost(keepAliveMillis * maxFactor) * BACK_AT);
    if (back - keepAliveMillis < keepAliveMillis || back >= until) {
      return Hold.continuous(until);
    }
    return new Hold(keepAliveMillis, back, until);
  }
}
