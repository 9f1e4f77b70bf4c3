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
 * memory of the extra wait; holding through one that outlasts it saves nothing, hence the majority. Pure.
 *
 * <p>And only where the cold start it spares matters to the call: when the function's measured creation time is
 * known to be less than {@code minColdShare} of its calls' mean execution time ({@link ColdStartShare}), the next
 * call would hardly notice a cold start, and the hold is withheld. Unknown (not measured yet this term): held.
 *
 * <p>And priced by memory: a held instance's memory is what the hold costs, while what it buys (a call without a cold
 * start) is the same for a small function as for a large one. With a {@code budgetMiB} B, the hold goes beyond the
 * keep-alive by at most B MiB held for one keep-alive: a function of m MiB is held at most B / m keep-alives longer
 * (a 16-32 MiB function the whole reach at B = 128, a 128 MiB one one keep-alive more, a 512 MiB one a quarter).
 * Unknown memory (0): not priced.
 *
 * @param maxFactor the longest hold, in keep-alives; 1 keeps the fixed keep-alive
 * @param minColdShare the least share of a call a cold start must be for the hold; 0 holds whatever the call's length
 * @param budgetMiB the most a hold beyond the keep-alive may hold, in MiB for one keep-alive; 0: no bound
 */
public record IdleKeepAlive(int maxFactor, double minColdShare, int budgetMiB) {

  /** Gaps needed before the history is trusted. */
  public static final int MIN_GAPS = 2;
  /** Head-room over the longest gap seen: the next may be a little longer. */
  public static final double MARGIN = 1.5;
  /** The fixed keep-alive, as Knative and Dirigent have it. */
  public static final IdleKeepAlive FIXED = new IdleKeepAlive(1);

  /** Held whatever the calls' length. */
  public IdleKeepAlive(int maxFactor) {
    this(maxFactor, 0);
  }

  /** Not priced by memory. */
  public IdleKeepAlive(int maxFactor, double minColdShare) {
    this(maxFactor, minColdShare, 0);
  }

  public IdleKeepAlive {
    if (maxFactor < 1 || maxFactor > 100) {
      throw new IllegalArgumentException("the idle keep-alive factor must be 1..100, was " + maxFactor);
    }
    if (!(minColdShare >= 0 && minColdShare <= 100)) {
      throw new IllegalArgumentException("the idle hold's least cold-start share must be 0..100, was " + minColdShare);
    }
    if (budgetMiB < 0) {
      throw new IllegalArgumentException("the idle hold's memory budget must be >= 0 MiB, was " + budgetMiB);
    }
  }

  /** How long to hold after the last activity, given the function's keep-alive and its recent gaps. */
  public long millis(long keepAliveMillis, IdleGaps gaps) {
    return millis(keepAliveMillis, gaps, ColdStartShare.UNKNOWN, 0);
  }

  /**
   * The same, weighing what a cold start would cost the function's next call, for a function of {@code memoryMiB}
   * (0: unknown, not priced).
   */
  public long millis(long keepAliveMillis, IdleGaps gaps, ColdStartShare coldStart, int memoryMiB) {
    if (maxFactor == 1 || gaps.size() < MIN_GAPS || !worthHolding(coldStart)) {
      return keepAliveMillis;
    }
    long reach = Math.min(keepAliveMillis * maxFactor, keepAliveMillis + affordableMillis(keepAliveMillis, memoryMiB));
    if (2 * gaps.atMost(reach) <= gaps.size()) {
      return keepAliveMillis;
    }
    long hold = (long) Math.ceil(gaps.longestAtMost(reach) * MARGIN);
    return Math.max(keepAliveMillis, Math.min(reach, hold));
  }

  /** How long beyond the keep-alive the budget holds {@code memoryMiB}; unbounded without a budget or a size. */
  private long affordableMillis(long keepAliveMillis, int memoryMiB) {
    if (budgetMiB == 0 || memoryMiB <= 0) {
      return Long.MAX_VALUE / 2;
    }
    return (long) Math.floor((double) keepAliveMillis * budgetMiB / memoryMiB);
  }

  /** Whether a cold start would be a large enough share of the next call; unknown counts as large enough. */
  public boolean worthHolding(ColdStartShare coldStart) {
    return minColdShare == 0 || !coldStart.known() || coldStart.share() >= minColdShare;
  }
}
