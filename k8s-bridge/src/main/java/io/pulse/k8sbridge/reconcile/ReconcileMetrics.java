package io.pulse.k8sbridge.reconcile;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pulse.k8sbridge.resources.DesiredState;
import java.util.Locale;

/** The reconcile loop's series, prefixed {@code pulse_k8sbridge_}. */
public final class ReconcileMetrics {

  private final Counter passes;
  private final Counter writes;
  private final Histogram passSeconds;
  private final Gauge mirrored;
  private final Counter refusals;
  private final Gauge unmirroredDataPlanes;

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
    refusals = Counter.builder().name("pulse_k8sbridge_refusals_total")
        .help("Actions the API server refused for one object, by kind and the reason of its Status (Invalid, "
            + "AlreadyExists, Conflict, NotFound, ...)").labelNames("kind", "reason").register(registry);
    unmirroredDataPlanes = Gauge.builder().name("pulse_k8sbridge_unmirrored_data_planes")
        .help("Data-plane addresses no EndpointSlice can list (loopback, link-local, unspecified, a bare host name): "
            + "Services get no endpoints from them").register(registry);
  }

  void pass(String result, double seconds) {
    passes.labelValues(result).inc();
    passSeconds.observe(seconds);
  }

  void failed() {
    passes.labelValues("error").inc();
  }

  void wrote(Action action) {
    writes.labelValues(kind(action), action.getClass().getSimpleName().toLowerCase(Locale.ROOT)).inc();
  }

  void refused(Refusal refusal) {
    refusals.labelValues(kind(refusal.action()), refusal.reason()).inc();
  }

  public void unmirroredDataPlanes(int count) {
    unmirroredDataPlanes.set(count);
  }

  private static String kind(Action action) {
    return action.kind().name().toLowerCase(Locale.ROOT);
  }

  void desired(DesiredState desired) {
    mirrored.labelValues("node").set(desired.nodes().size());
    mirrored.labelValues("lease").set(desired.leases().size());
    mirrored.labelValues("pod").set(desired.pods().size());
    mirrored.labelValues("service").set(desired.services().size());
    mirrored.labelValues("endpoint_slice").set(desired.slices().size());
  }
}
