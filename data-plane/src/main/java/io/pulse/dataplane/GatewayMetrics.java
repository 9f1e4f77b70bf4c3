package io.pulse.dataplane;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pulse.dataplane.routing.RoutingTable;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The data plane's Prometheus metrics; registered on start, unregistered on close. */
final class GatewayMetrics {

  private final PrometheusRegistry registry;
  private final Counter invocations;
  private final Histogram requestSeconds;
  private final Counter coldStarts;
  private final Histogram coldStartWaitSeconds;
  private final List<Collector> all;

  GatewayMetrics(PrometheusRegistry registry, Supplier<RoutingTable> table,
      Supplier<Map<String, Integer>> queueLengths) {
    this.registry = registry;
    invocations = Counter.builder().name("pulse_dataplane_invocations_total")
        .help("Requests for known functions, by the status the client got (499: client left first)")
        .labelNames("function", "code").build();
    requestSeconds = Histogram.builder().name("pulse_dataplane_request_seconds")
        .help("Time from arrival to the end of the exchange at the data plane").labelNames("function")
        .classicOnly().build();
    coldStarts = Counter.builder().name("pulse_dataplane_cold_starts_total")
        .help("Requests that found no ready instance and waited for one").labelNames("function").build();
    coldStartWaitSeconds = Histogram.builder().name("pulse_dataplane_cold_start_wait_seconds")
        .help("How long cold-start requests waited for a slot").labelNames("function").classicOnly().build();
    GaugeWithCallback queueLength = GaugeWithCallback.builder().name("pulse_dataplane_queue_length")
        .help("Requests waiting for a slot").labelNames("function")
        .callback(cb -> queueLengths.get().forEach((fn, n) -> cb.call(n, fn))).build();
    GaugeWithCallback instances = GaugeWithCallback.builder().name("pulse_dataplane_instances")
        .help("Ready instances in the routing table").labelNames("function")
        .callback(cb -> table.get().routes().forEach((fn, r) -> cb.call(r.instances().size(), fn))).build();
    all = List.of(invocations, requestSeconds, coldStarts, coldStartWaitSeconds, queueLength, instances);
    all.forEach(registry::register);
  }

  void invocation(String function, int status, long arrivalNanos) {
    invocations.labelValues(function, Integer.toString(status)).inc();
    requestSeconds.labelValues(function).observe(secondsSince(arrivalNanos));
  }

  void coldStart(String function) {
    coldStarts.labelValues(function).inc();
  }

  void coldStartServed(String function, long arrivalNanos) {
    coldStartWaitSeconds.labelValues(function).observe(secondsSince(arrivalNanos));
  }

  void unregister() {
    all.forEach(registry::unregister);
  }

  private static double secondsSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
