package io.pulse.common.admin;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Mounts {@code /metrics} (Prometheus text), {@code /healthz} and {@code /readyz} on a router. */
public final class AdminRoutes {

  private AdminRoutes() {}

  public static void mount(Router router, PrometheusRegistry registry, Readiness readiness) {
    ExpositionFormats formats = ExpositionFormats.init();
    router.get("/metrics").handler(ctx -> {
      ExpositionFormatWriter writer = formats.findWriter(ctx.request().getHeader("Accept"));
      // Scraping reads in-memory counters only; cheap enough for the event loop.
      ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
      try {
        writer.write(out, registry.scrape());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      ctx.response()
          .putHeader("Content-Type", writer.getContentType())
          .end(Buffer.buffer(out.toByteArray()));
    });
    router.get("/healthz").handler(ctx -> ctx.json(new JsonObject().put("status", "ok")));
    router.get("/readyz").handler(ctx -> {
      List<String> reasons = readiness.notReadyReasons();
      if (reasons.isEmpty()) {
        ctx.json(new JsonObject().put("status", "ready"));
      } else {
        ctx.response().setStatusCode(503);
        ctx.json(new JsonObject().put("status", "not ready").put("reasons", new JsonArray(List.copyOf(reasons))));
      }
    });
  }
}
