package io.pulse.common.admin;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pulse.common.http.Answers;
import io.pulse.common.http.JsonErrors;
import io.pulse.common.http.RouterErrors;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Mounts {@code /metrics} (Prometheus text), {@code /healthz} and {@code /readyz} on a router, for GET and HEAD. A
 * router holding nothing else also gets {@link RouterErrors} from its owner.
 */
public final class AdminRoutes {

  private AdminRoutes() {}

  public static void mount(Router router, PrometheusRegistry registry, Readiness readiness) {
    ExpositionFormats formats = ExpositionFormats.init();
    RouterErrors.readable(router, "/metrics").handler(ctx -> {
      ExpositionFormatWriter writer = formats.findWriter(ctx.request().getHeader("Accept"));
      // Scraping reads in-memory counters only; cheap enough for the event loop.
      ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
      try {
        writer.write(out, registry.scrape());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Answers.send(ctx.response(), writer.getContentType(), Buffer.buffer(out.toByteArray()));
    });
    RouterErrors.readable(router, "/healthz").handler(ctx -> Answers.json(ctx.response(), 200,
        new JsonObject().put("status", "ok")));
    RouterErrors.readable(router, "/readyz").handler(ctx -> {
      List<String> reasons = readiness.notReadyReasons();
      if (reasons.isEmpty()) {
        Answers.json(ctx.response(), 200, new JsonObject().put("status", "ready"));
      } else {
        // The error shape, with the reasons also as a list for tools.
        JsonObject body = JsonErrors.body(503, "not ready: " + String.join("; ", reasons), null);
        body.getJsonObject("error").put("reasons", new JsonArray(List.copyOf(reasons)));
        JsonErrors.send(ctx.response(), 503, body);
      }
    });
  }
}
