package io.pulse.controlplane;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pulse.controlplane.accounting.AccountingMetrics;
import io.pulse.controlplane.api.ClusterView.InstanceView;
import io.pulse.controlplane.api.ClusterView.WorkerView;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The control plane's metrics. Gauges read the published snapshots at scrape time (no state of their own to go
 * stale); counters and the histogram are fed by the lifecycle and the autoscaler.
 */
final class ControlPlaneMetrics {

  final Counter creations;
  final Histogram createSeconds;
  final Counter scaleDecisions;
  final Counter sandboxExits;
  final Counter pauses;
  final AccountingMetrics accounting;
  private final PrometheusRegistry registry;
  private final List<Collector> registered;

  private ControlPlaneMetrics(PrometheusRegistry registry, Counter creations, Histogram createSeconds,
      Counter scaleDecisions, Counter sandboxExits, Counter pauses, List<Collector> registered,
      AccountingMetrics accounting) {
    this.sandboxExits = sandboxExits;
    this.pauses = pauses;
    this.registry = registry;
    this.accounting = accounting;
    this.creations = creations;
    this.createSeconds = createSeconds;
    this.scaleDecisions = scaleDecisions;
    this.registered = registered;
  }

  static ControlPlaneMetrics register(PrometheusRegistry registry, Supplier<Integer> functions,
      Supplier<ClusterSnapshot> snapshot, Supplier<Map<String, Integer>> desired) {
    Counter creations = Counter.builder().name("pulse_controlplane_instance_creations")
        .help("Regular Instance creations by result (success, failure, no_capacity)").labelNames("result").build();
    Histogram createSeconds = Histogram.builder().name("pulse_controlplane_instance_create_seconds")
        .help("Time from the create command to a ready Regular Instance (cold-start cost)").classicOnly()
        .classicUpperBounds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60).build();
    Counter scaleDecisions = Counter.builder().name("pulse_controlplane_scale_decisions")
        .help("Autoscaler decisions by direction (up, down, hold, none)").labelNames("direction").build();
    Counter sandboxExits = Counter.builder().name("pulse_controlplane_sandbox_exits")
        .help("Regular Instances that ended on their own, by reason (oom-killed, killed, exited)")
        .labelNames("reason").build();
    Counter pauses = Counter.builder().name("pulse_controlplane_pauses")
        .help("Times the leader found it had not run for half a worker timeout (a paused VM, a long GC, a blocked"
            + " loop) and declared no worker dead for a timeout after")
        .build();
    GaugeWithCallback functionCount = GaugeWithCallback.builder().name("pulse_controlplane_functions")
        .help("Registered functions").callback(cb -> cb.call(functions.get())).build();
    GaugeWithCallback instances = GaugeWithCallback.builder().name("pulse_controlplane_instances")
        .help("Regular Instances by function and state").labelNames("function", "state")
        .callback(cb -> {
          Map<String, Integer> counts = new TreeMap<>();
          snapshot.get().instances().values().forEach(views -> {
            for (InstanceView view : views) {
              counts.merge(view.function() + "\u0000" + view.state(), 1, Integer::sum);
            }
          });
          counts.forEach((key, count) -> {
            String[] parts = key.split("\u0000", 2);
            cb.call(count, parts[0], parts[1]);
          });
        }).build();
    GaugeWithCallback workers = GaugeWithCallback.builder().name("pulse_controlplane_workers")
        .help("Workers by state (alive, draining, dead)").labelNames("state")
        .callback(cb -> {
          List<WorkerView> views = snapshot.get().workers();
          for (String state : List.of("alive", "draining", "dead")) {
            cb.call(views.stream().filter(w -> w.state().equals(state)).count(), state);
          }
        }).build();
    GaugeWithCallback desiredGauge = GaugeWithCallback.builder().name("pulse_controlplane_autoscaler_desired")
        .help("Instances the autoscaler last asked for, by function").labelNames("function")
        .callback(cb -> desired.get().forEach((function, count) -> cb.call(count, function))).build();
    List<Collector> all = List.of(creations, createSeconds, scaleDecisions, sandboxExits, pauses, functionCount,
        instances, workers, desiredGauge);
    all.forEach(registry::register);
    return new ControlPlaneMetrics(registry, creations, createSeconds, scaleDecisions, sandboxExits, pauses, all,
        AccountingMetrics.register(registry));
  }

  void unregister() {
    registered.forEach(registry::unregister);
    accounting.unregister(registry);
  }
}
