package io.pulse.worker.service;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pulse.worker.sandbox.SandboxKind;
import io.pulse.worker.sandbox.containerd.pool.PoolStatus;
import io.pulse.worker.sandbox.containerd.pool.PooledSandboxRuntime;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/** The sandbox pools' metrics: members by function and state, claims by track and result, claim-to-ready time. */
final class PoolMetrics implements PooledSandboxRuntime.Claims {

  private static final double[] SECONDS_BUCKETS =
      {0.001, 0.0025, 0.005, 0.01, 0.015, 0.02, 0.03, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

  private final GaugeWithCallback members;
  private final GaugeWithCallback failures;
  private final Counter claims;
  private final Histogram claimToReady;

  PoolMetrics(Supplier<List<PoolStatus>> pools) {
    this.members = GaugeWithCallback.builder()
        .name("pulse_worker_pool_members")
        .help("Sandboxes held created-not-started in pools, by function and state (ready: claimable; creating)")
        .labelNames("function", "state")
        .callback(callback -> pools.get().forEach(p -> {
          callback.call(p.ready(), p.key().function(), "ready");
          callback.call(p.creating(), p.key().function(), "creating");
        }))
        .build();
    this.failures = GaugeWithCallback.builder()
        .name("pulse_worker_pool_failures")
        .help("Pool member creations of a function's pool that failed in a row (0 after a success); the reason is in "
            + "the worker's log (pool member creation failed)")
        .labelNames("function")
        .callback(callback -> pools.get().forEach(p -> callback.call(p.failures(), p.key().function())))
        .build();
    this.claims = Counter.builder()
        .name("pulse_worker_pool_claims_total")
        .help("Creations by track (regular, emergency) and result: hit (a pool member was started) or miss")
        .labelNames("track", "result")
        .build();
    this.claimToReady = Histogram.builder()
        .name("pulse_worker_pool_claim_to_ready_seconds")
        .help("Time from claiming a pool member to its accepting connections")
        .classicOnly()
        .classicUpperBounds(SECONDS_BUCKETS)
        .build();
  }

  void register(PrometheusRegistry registry) {
    registry.register(members);
    registry.register(failures);
    registry.register(claims);
    registry.register(claimToReady);
  }

  void unregister(PrometheusRegistry registry) {
    registry.unregister(members);
    registry.unregister(failures);
    registry.unregister(claims);
    registry.unregister(claimToReady);
  }

  @Override
  public void hit(SandboxKind kind, long claimToReadyNanos) {
    claims.labelValues(kind.name().toLowerCase(Locale.ROOT), "hit").inc();
    claimToReady.observe(claimToReadyNanos / 1_000_000_000.0);
  }

  @Override
  public void miss(SandboxKind kind) {
    claims.labelValues(kind.name().toLowerCase(Locale.ROOT), "miss").inc();
  }
}
