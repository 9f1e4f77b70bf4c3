package io.pulse.bench.report;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes summary.json, invocations.csv and report.html. */
public final class ReportFiles {

  private ReportFiles() {}

  public static void summary(Path dir, JsonObject summary) {
    write(dir.resolve("summary.json"), summary.encodePrettily() + "\n");
  }

  /** One row per request; {@code group} is the policy (or rate) the request belonged to. */
  public static void invocations(Path dir, Map<String, List<InvocationResult>> byGroup) {
    Path file = dir.resolve("invocations.csv");
    try (Writer out = Files.newBufferedWriter(file)) {
      out.write("group,function,scheduled_ms,start_ms,end_ms,latency_ms,requested_ms,status,cold,kind,instance\n");
      for (Map.Entry<String, List<InvocationResult>> entry : byGroup.entrySet()) {
        for (InvocationResult r : entry.getValue()) {
          out.write(String.format(java.util.Locale.ROOT, "%s,%s,%.3f,%.3f,%.3f,%.3f,%d,%d,%s,%s,%s%n",
              entry.getKey(), r.function(), r.scheduledMicros() / 1e3, r.startMicros() / 1e3, r.endMicros() / 1e3,
              r.latencyMs(), r.durationMs(), r.status(), r.cold() ? "cold" : "warm", r.kind(), r.instance()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * A page with the command, the summary as a table per group, and the charts.
   *
   * @param charts PNG file names (in {@code dir}) with their captions
   */
  public static void html(Path dir, String title, String command, JsonObject summary, Map<String, String> charts) {
    StringBuilder page = new StringBuilder();
    page.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>").append(escape(title))
        .append("</title><style>body{font-family:sans-serif;max-width:1000px;margin:2em auto}"
            + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}"
            + "th{background:#f3f3f3}code{background:#f6f6f6;padding:2px}</style></head><body>")
        .append("<h1>").append(escape(title)).append("</h1><p><code>").append(escape(command)).append("</code></p>");
    page.append("<h2>Summary</h2>").append(table(summary));
    charts.forEach((file, caption) -> page.append("<h2>").append(escape(caption)).append("</h2><img src=\"")
        .append(escape(file)).append("\" alt=\"").append(escape(caption)).append("\">"));
    page.append("<h2>summary.json</h2><pre>").append(escape(summary.encodePrettily())).append("</pre></body></html>\n");
    write(dir.resolve("report.html"), page.toString());
  }

  /** Scalar fields as a table; nested objects of scalars (per policy, per rate) as one row each. */
  private static String table(JsonObject summary) {
    StringBuilder rows = new StringBuilder("<table>");
    for (String key : summary.fieldNames()) {
      Object value = summary.getValue(key);
      if (value instanceof JsonObject nested) {
        rows.append("<tr><th colspan=\"2\" style=\"text-align:left\">").append(escape(key)).append("</th></tr>");
        for (String inner : nested.fieldNames()) {
          Object v = nested.getValue(inner);
          rows.append("<tr><td style=\"text-align:left\">").append(escape(inner)).append("</td><td>")
              .append(escape(v instanceof JsonObject o ? o.encode() : String.valueOf(v))).append("</td></tr>");
        }
      } else {
        rows.append("<tr><td style=\"text-align:left\">").append(escape(key)).append("</td><td>")
            .append(escape(String.valueOf(value))).append("</td></tr>");
      }
    }
    return rows.append("</table>").toString();
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
