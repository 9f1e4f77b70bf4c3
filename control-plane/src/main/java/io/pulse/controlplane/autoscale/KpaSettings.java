package io.pulse.controlplane.autoscale;

/**
 * The cluster-wide knobs of the KPA.
 *
 * @param stableWindowMillis window of the stable average; also how long panic mode lasts after the last surge
 * @param panicWindowPercent panic window as a percentage of the stable window
 * @param panicThreshold panic when (panic-window desired instances / ready instances) reaches this
 * @param maxScaleUpRate at most {@code ceil(rate * ready)} instances after one decision
 * @param maxScaleDownRate at least {@code floor(ready / rate)} instances after one decision
 * @param fleetSlack the share of one instance's load left to the expedited track: the instances a window average
 *     needs are {@code ceil(average / targetConcurrency - fleetSlack)} (0: Knative's)
 */
public record KpaSettings(long stableWindowMillis, int panicWindowPercent, double panicThreshold,
    double maxScaleUpRate, double maxScaleDownRate, double fleetSlack) {

  public KpaSettings(long stableWindowMillis, int panicWindowPercent, double panicThreshold, double maxScaleUpRate,
      double maxScaleDownRate) {
    this(stableWindowMillis, panicWindowPercent, panicThreshold, maxScaleUpRate, maxScaleDownRate, 0);
  }

  public KpaSettings {
    if (!(fleetSlack >= 0 && fleetSlack < 1)) {
      throw new IllegalArgumentException("fleetSlack must be in [0, 1), was " + fleetSlack);
    }
    if (stableWindowMillis < 1) {
      throw new IllegalArgumentException("stableWindowMs must be >= 1, was " + stableWindowMillis);
    }
    if (panicWindowPercent < 1 || panicWindowPercent > 100) {
      throw new IllegalArgumentException("panicWindowPercent must be in 1..100, was " + panicWindowPercent);
    }
    if (!(panicThreshold > 0)) {
      throw new IllegalArgumentException("panicThreshold must be > 0, was " + panicThreshold);
    }
    if (!(maxScaleUpRate > 1)) {
      throw new IllegalArgumentException("maxScaleUpRate must be > 1, was " + maxScaleUpRate);
    }
    if (!(maxScaleDownRate > 1)) {
      throw new IllegalArgumentException("maxScaleDownRate must be > 1, was " + maxScaleDownRate);
    }
  }

  /** Knative's defaults: 60 s stable window, 6 s panic window, panic at 200 %, up x1000, down /2. */
  public static KpaSettings defaults() {
    return new KpaSettings(60_000, 10, 2.0, 1000, 2);
  }

  /**
   * The same KPA that never panics: it sizes by the stable window only. For dual-track functions, whose surges the
   * expedited track absorbs within a creation time: Regular Instances that panic would add arrive after the surge
   * was served, and then sit idle for a stable window.
   */
  public KpaSettings withoutPanic() {
    return new KpaSettings(stableWindowMillis, panicWindowPercent, Double.POSITIVE_INFINITY, maxScaleUpRate,
        maxScaleDownRate, fleetSlack);
  }

  /** The same KPA, leaving {@code slack} of an instance's load to the expedited track. */
  public KpaSettings withFleetSlack(double slack) {
    return new KpaSettings(stableWindowMillis, panicWindowPercent, panicThreshold, maxScaleUpRate, maxScaleDownRate,
        slack);
  }

  public long panicWindowMillis() {
    return Math.max(1, stableWindowMillis * panicWindowPercent / 100);
  }
}
