package io.pulse.bench.trace;

/**
 * Execution-time percentiles of one function (ms): p0, p1, p25, p50, p75, p99, p100, and the average. {@link
 * #sample(double)} maps a uniform value in [0,1) onto the piecewise-linear distribution they describe (inverse
 * transform sampling), as the vHive loader does.
 */
public record DurationPercentiles(double average, double p0, double p1, double p25, double p50, double p75,
    double p99, double p100) {

  private static final double[] QUANTILES = {0, 0.01, 0.25, 0.50, 0.75, 0.99, 1.0};

  public static DurationPercentiles fixed(double ms) {
    return new DurationPercentiles(ms, ms, ms, ms, ms, ms, ms, ms);
  }

  public double sample(double uniform) {
    double[] values = {p0, p1, p25, p50, p75, p99, p100};
    double u = Math.min(Math.max(uniform, 0), 1);
    for (int i = 1; i < QUANTILES.length; i++) {
      if (u <= QUANTILES[i]) {
        double span = QUANTILES[i] - QUANTILES[i - 1];
        double t = span == 0 ? 0 : (u - QUANTILES[i - 1]) / span;
        return values[i - 1] + t * (values[i] - values[i - 1]);
      }
    }
    return p100;
  }
}
