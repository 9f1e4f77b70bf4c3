package io.pulse.k8sbridge.reconcile;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pulse.k8sbridge.resources.DesiredState;

/** The reconcile loop's series, prefixed {@code pulse_k8sbridge_}. */
public final class ReconcileMetrics {

  private final Counter passes;
  private final Counter writes;
  private final Histogram passSeconds;
  private final Gauge mirrored;

  public ReconcileMetrics(PrometheusRegistry registry) {
    passes = Counter.builder().name("pulse_k8sbridge_reconciles_total")
        .help("Reconciliation passes by outcome (ok, partial: some writes refused, error: the API server failed)")
        .labelNames("result").register(registry);
    writes = Counter.builder().name("pulse_k8sbridge_writes_total")
        .help("Writes made to the API server by kind and action").labelNames("kind", "action").register(registry);
    passSeconds = Histogram.builder().name("pulse_k8sbridge_reconcile_seconds")
        .help("Duration of one reconciliation pass (read, diff, write)").classicOnly().register(registry);
    mirrored = Gauge.builder().name("pulse_k8sbridge_desired_objects")
        .help("Objects the bridge wants in the cluster, by kind").labelNames("kind").register(registry);
  }

  void pass(String result, double seconds) {
    passes.labelValues(result).inc();
    passSeconds.observe(seconds);
  }

  void failed() {
    passes.labelValues("error").inc();
  }

  public void wrote(Action action) {
    writes.labelValues(action.kind().name().toLowerCase(java.util.Locale.ROOT),
        action.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT)).inc();
  }

  void desired(DesiredState desired) {
    mirrored.labelValues("node").set(desired.nodes().size());
    mirrored.labelValues("lease").set(desired.leases().size());
    mirrored.labelValues("pod").set(desired.pods().size());
    mirrored.labelValues("service").set(desired.services().size());
    mirrored.labelValues("endpoint_slice").set(desired.slices().size());
  }
}
