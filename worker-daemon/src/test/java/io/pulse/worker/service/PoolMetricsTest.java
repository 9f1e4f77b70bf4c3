package io.pulse.worker.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pulse.worker.sandbox.SandboxKind;
import io.pulse.worker.sandbox.containerd.pool.PoolKey;
import io.pulse.worker.sandbox.containerd.pool.PoolStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolMetricsTest {

  @Test
  void scrape_showsMembersByStateFailuresAndClaimsPerTrack() throws IOException {
    PrometheusRegistry registry = new PrometheusRegistry();
    WorkerMetrics metrics = WorkerMetrics.register(registry, List::of, () -> List.of(
        new PoolStatus(new PoolKey("web", 3), 2, 1, 1, 0, null),
        new PoolStatus(new PoolKey("bad", 1), 2, 0, 0, 4, "image: HTTP 404")));

    metrics.hit(SandboxKind.EMERGENCY, 20_000_000);
    metrics.miss(SandboxKind.REGULAR);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, registry.scrape());
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("pulse_worker_pool_members{function=\"web\",state=\"ready\"} 1.0")
        .contains("pulse_worker_pool_members{function=\"web\",state=\"creating\"} 1.0")
        .contains("pulse_worker_pool_failures{function=\"bad\"} 4.0")
        .contains("pulse_worker_pool_claims_total{result=\"hit\",track=\"emergency\"} 1.0")
        .contains("pulse_worker_pool_claims_total{result=\"miss\",track=\"regular\"} 1.0")
        .contains("pulse_worker_pool_claim_to_ready_seconds_bucket{le=\"0.02\"} 1");
    metrics.unregister();
    assertThat(registry.scrape().stream().map(s -> s.getMetadata().getName())).isEmpty();
  }
}
