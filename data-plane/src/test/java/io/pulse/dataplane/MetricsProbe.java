package io.pulse.dataplane;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads one sample from the text exposition, the way a scraper would see it. */
final class MetricsProbe {

  private MetricsProbe() {}

  /** The sample {@code name} whose labels include every {@code key=value} given; 0 when there is none. */
  static double value(PrometheusRegistry registry, String name, String... labels) {
    for (String line : scrape(registry).split("\n")) {
      if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
        continue;
      }
      boolean all = true;
      for (String label : labels) {
        int eq = label.indexOf('=');
        all &= line.contains(label.substring(0, eq) + "=\"" + label.substring(eq + 1) + "\"");
      }
      if (all) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }

  static String scrape(PrometheusRegistry registry) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
