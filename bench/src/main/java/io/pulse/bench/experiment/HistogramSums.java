package io.pulse.bench.experiment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code _sum} of Prometheus histograms in a scrape, over all their label sets: read before and after one cold
 * start, the difference is what that cold start added to each (a stage's time, when one observation is made per cold
 * start). Pure: text in, numbers out.
 */
final class HistogramSums {

  private HistogramSums() {}

  /** For each of {@code histograms}, the sum of its {@code _sum} lines (0 when absent). */
  static Map<String, Double> of(String scrape, List<String> histograms) {
    Map<String, Double> sums = new LinkedHashMap<>();
    histograms.forEach(h -> sums.put(h, 0.0));
    for (String line : scrape.split("\n")) {
      if (line.startsWith("#")) {
        continue;
      }
      for (String histogram : histograms) {
        String name = histogram + "_sum";
        if (line.startsWith(name) && (line.charAt(name.length()) == '{' || line.charAt(name.length()) == ' ')) {
          String value = line.substring(line.lastIndexOf(' ') + 1);
          sums.merge(histogram, Double.parseDouble(value), Double::sum);
        }
      }
    }
    return sums;
  }

  /** {@code after - before} per histogram, in milliseconds (the sums are seconds). */
  static Map<String, Double> deltaMs(Map<String, Double> before, Map<String, Double> after) {
    Map<String, Double> delta = new LinkedHashMap<>();
    after.forEach((h, sum) -> delta.put(h, (sum - before.getOrDefault(h, 0.0)) * 1_000));
    return delta;
  }
}
