package io.pulse.bench.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** The harness's metric math, pure. */
public final class Stats {

  private Stats() {}

  /** The {@code q}-quantile (0..1) by the nearest-rank method; NaN for no values. */
  public static double percentile(double[] values, double q) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
  }

  /** Geometric mean of positive values; NaN for none. */
  public static double geomean(Collection<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    double logSum = 0;
    for (double value : values) {
      if (!(value > 0)) {
        throw new IllegalArgumentException("geometric mean needs positive values, got " + value);
      }
      logSum += Math.log(value);
    }
    return Math.exp(logSum / values.size());
  }

  public static double median(Collection<Double> values) {
    return percentile(values.stream().mapToDouble(Double::doubleValue).toArray(), 0.5);
  }

  /** Memory held over memory busy; null when nothing was busy. */
  public static @Nullable Double normalizedCost(double heldMiBSeconds, double busyMiBSeconds) {
    return busyMiBSeconds > 0 ? heldMiBSeconds / busyMiBSeconds : null;
  }

  /** Per function, the slowdowns of its successful requests. */
  public static Map<String, double[]> slowdownsByFunction(List<InvocationResult> results) {
    Map<String, List<Double>> lists = new TreeMap<>();
    for (InvocationResult result : results) {
      if (result.ok()) {
        lists.computeIfAbsent(result.function(), f -> new ArrayList<>()).add(result.slowdown());
      }
    }
    Map<String, double[]> arrays = new TreeMap<>();
    lists.forEach((f, l) -> arrays.put(f, l.stream().mapToDouble(Double::doubleValue).toArray()));
    return arrays;
  }

  /** Geometric mean over functions of each function's p99 slowdown (Dirigent's and PulseNet's headline metric). */
  public static double geomeanP99Slowdown(Map<String, double[]> slowdowns) {
    return geomean(slowdowns.values().stream().map(s -> percentile(s, 0.99)).toList());
  }

  /** Median over functions of each function's p50 slowdown. */
  public static double p50SlowdownMedian(Map<String, double[]> slowdowns) {
    return median(slowdowns.values().stream().map(s -> percentile(s, 0.5)).toList());
  }
}
