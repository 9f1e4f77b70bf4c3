package io.pulse.dataplane;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pulse.dataplane.routing.RoutingTable;
import io.pulse.dataplane.tracks.CreationTimes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** The data plane's Prometheus metrics; registered on start, unregistered on close. */
final class GatewayMetrics {

  /** The retry reason of a request sent to another instance after one could not be reached. */
  static final String CONNECT_REFUSED = "connect_refused";

  private final PrometheusRegistry registry;
  private final Counter invocations;
  private final Histogram requestSeconds;
  private final Counter coldStarts;
  private final Histogram coldStartWaitSeconds;
  private final Counter emergencyCreations;
  private final Histogram emergencyCreateSeconds;
  private final Histogram emergencyFirstExchangeSeconds;
  private final Counter expedited;
  private final Counter retries;
  private final Counter rawExchanges;
  private final List<Collector> all;
  // Each request's series, looked up by function once instead of by label values (a list, a hash and the status as a
  // string) every time; series are never removed from the metrics, so neither are they from here.
  private final ConcurrentHashMap<String, RequestSeries> requests = new ConcurrentHashMap<>();
  private volatile IntSupplier emergencyLive = () -> 0;
  private volatile Supplier<Map<String, Integer>> creationLimits = Map::of;
  private volatile CreationTimes crowding = new CreationTimes();

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
    emergencyCreations = Counter.builder().name("pulse_dataplane_emergency_creations_total")
        .help("Emergency Instances this data plane asked workers for, by result (success, failure)")
        .labelNames("function", "result").build();
    emergencyCreateSeconds = Histogram.builder().name("pulse_dataplane_emergency_create_seconds")
        .help("From CreateSandbox(EMERGENCY) to a ready Emergency Instance").classicOnly()
        .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10).build();
    emergencyFirstExchangeSeconds = Histogram.builder().name("pulse_dataplane_emergency_first_exchange_seconds")
        .help("A new Emergency Instance's first exchange: from its creation's answer to the end of the response "
            + "(connect, request, answer)").classicOnly()
        .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10).build();
    expedited = Counter.builder().name("pulse_dataplane_expedited_requests_total")
        .help("Requests served on the expedited track, by whether the metric filter counted them for the autoscaler")
        .labelNames("function", "counted").build();
    GaugeWithCallback emergency = GaugeWithCallback.builder().name("pulse_dataplane_emergency_instances")
        .help("Emergency Instances this data plane holds now (serving, idle or being deleted)")
        .callback(cb -> cb.call(emergencyLive.getAsInt())).build();
    GaugeWithCallback creationLimit = GaugeWithCallback.builder().name("pulse_dataplane_emergency_creation_limit")
        .help("Emergency creations this data plane lets run at once on a worker, as its creation times allow"
            + " (workers at the fixed --emergency-creations-per-worker are not listed)")
        .labelNames("worker").callback(cb -> creationLimits.get().forEach((w, n) -> cb.call(n, w))).build();
    GaugeWithCallback underWay = GaugeWithCallback.builder().name("pulse_dataplane_creations_under_way")
        .help("Creations under way on a worker now: this data plane's Emergency ones and the Regular ones the control"
            + " plane last published")
        .labelNames("worker").callback(cb -> crowding.underWay().forEach((w, n) -> cb.call(n, w))).build();
    GaugeWithCallback slowdown = GaugeWithCallback.builder().name("pulse_dataplane_creation_slowdown")
        .help("What the creations under way on a worker would make a new one take there, as a multiple of its alone"
            + " time (the track choice holds while the least crowded worker is above 2)")
        .labelNames("worker").callback(cb -> crowding.slowdowns().forEach((w, x) -> cb.call(x, w))).build();
    retries = Counter.builder().name("pulse_dataplane_retries_total")
        .help("Requests sent again after an attempt that never reached the function, by reason")
        .labelNames("function", "reason").build();
    rawExchanges = Counter.builder().name("pulse_dataplane_raw_exchanges_total")
        .help("Requests the byte-level forwarder (--forwarding raw) carried; the others took the Vert.x path").build();
    all = List.of(invocations, requestSeconds, coldStarts, coldStartWaitSeconds, queueLength, instances,
        emergencyCreations, emergencyCreateSeconds, emergencyFirstExchangeSeconds, expedited, emergency,
        creationLimit, underWay, slowdown, retries, rawExchanges);
    all.forEach(registry::register);
  }

  /**
   * A function's request-time histogram and, once it had one, its counter of 200s (nearly every request); made on
   * first use so that no series appears before its first event. The race of two event loops setting {@code ok} is
   * benign: both get the same data point.
   */
  private static final class RequestSeries {
    private final DistributionDataPoint seconds;
    private volatile @Nullable CounterDataPoint ok;

    RequestSeries(DistributionDataPoint seconds) {
      this.seconds = seconds;
    }
  }

  void invocation(String function, int status, long arrivalNanos) {
    RequestSeries series = requests.get(function);
    if (series == null) {
      series = requests.computeIfAbsent(function, f -> new RequestSeries(requestSeconds.labelValues(f)));
    }
    if (status == 200) {
      CounterDataPoint ok = series.ok;
      if (ok == null) {
        ok = invocations.labelValues(function, "200");
        series.ok = ok;
      }
      ok.inc();
    } else {
      invocations.labelValues(function, Integer.toString(status)).inc();
    }
    series.seconds.observe(secondsSince(arrivalNanos));
  }

  void coldStart(String function) {
    coldStarts.labelValues(function).inc();
  }

  void coldStartServed(String function, long arrivalNanos) {
    coldStartWaitSeconds.labelValues(function).observe(secondsSince(arrivalNanos));
  }

  void emergencyInstances(IntSupplier live) {
    emergencyLive = live;
  }

  void emergencyCreationLimits(Supplier<Map<String, Integer>> limits) {
    creationLimits = limits;
  }

  void creationCrowding(CreationTimes times) {
    crowding = times;
  }

  void emergencyCreated(String function, long creationMicros) {
    emergencyCreations.labelValues(function, "success").inc();
    emergencyCreateSeconds.observe(creationMicros / 1e6);
  }

  void emergencyFirstExchange(long nanos) {
    emergencyFirstExchangeSeconds.observe(nanos / 1e9);
  }

  void emergencyCreationFailed(String function) {
    emergencyCreations.labelValues(function, "failure").inc();
  }

  void expedited(String function, boolean counted) {
    expedited.labelValues(function, Boolean.toString(counted)).inc();
  }

  void retried(String function, String reason) {
    retries.labelValues(function, reason).inc();
  }

  void rawExchange() {
    rawExchanges.inc();
  }

  void unregister() {
    all.forEach(registry::unregister);
  }

  private static double secondsSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
