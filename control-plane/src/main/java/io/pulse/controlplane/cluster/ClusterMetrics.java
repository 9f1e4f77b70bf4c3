package io.pulse.controlplane.cluster;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The replication metrics of one replica, read from the published {@link ClusterState} at scrape time. Replication
 * lag shows as the difference of {@code pulse_controlplane_registry_seq} between replicas.
 */
public final class ClusterMetrics {

  private final PrometheusRegistry registry;
  private final List<Collector> collectors;

  private ClusterMetrics(PrometheusRegistry registry, List<Collector> collectors) {
    this.registry = registry;
    this.collectors = collectors;
  }

  public static ClusterMetrics register(PrometheusRegistry registry, Supplier<ClusterState> state,
      LongSupplier registrySeq) {
    List<Collector> collectors = List.of(
        CounterWithCallback.builder().name("pulse_controlplane_leader_changes")
            .help("Leader changes this replica has seen").callback(cb -> cb.call(state.get().leaderChanges()))
            .build(),
        GaugeWithCallback.builder().name("pulse_controlplane_is_leader")
            .help("1 while this replica leads").callback(cb -> cb.call(state.get().isLeader() ? 1 : 0)).build(),
        GaugeWithCallback.builder().name("pulse_controlplane_epoch")
            .help("Fencing epoch of the current leader term (0 while unknown)")
            .callback(cb -> cb.call(state.get().epoch())).build(),
        GaugeWithCallback.builder().name("pulse_controlplane_replicas")
            .help("Replicas this replica sees (itself included)")
            .callback(cb -> cb.call(state.get().members().size())).build(),
        GaugeWithCallback.builder().name("pulse_controlplane_failover_seconds")
            .help("Last takeover by this replica: from noticing the old leader gone to leading")
            .callback(cb -> {
              Long millis = state.get().lastFailoverMillis();
              if (millis != null) {
                cb.call(millis / 1000.0);
              }
            }).build(),
        GaugeWithCallback.builder().name("pulse_controlplane_registry_seq")
            .help("Highest registry sequence number applied on this replica (lag = leader's minus this)")
            .callback(cb -> cb.call(registrySeq.getAsLong())).build());
    collectors.forEach(registry::register);
    return new ClusterMetrics(registry, collectors);
  }

  public void unregister() {
    collectors.forEach(registry::unregister);
  }
}
