package io.pulse.controlplane.async;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Async invocation metrics. Gauges read the registry's snapshot at scrape time (any replica shows the cluster's
 * state); counters count what this replica did while it led.
 */
public final class AsyncMetrics {

  private final PrometheusRegistry registry;
  private final Counter accepted;
  private final Counter retries;
  private final Counter finished;
  private final List<Collector> registered;

  private AsyncMetrics(PrometheusRegistry registry, Counter accepted, Counter retries, Counter finished,
      List<Collector> registered) {
    this.registry = registry;
    this.accepted = accepted;
    this.retries = retries;
    this.finished = finished;
    this.registered = registered;
  }

  public static AsyncMetrics register(PrometheusRegistry registry, Supplier<Map<String, Invocation>> kept,
      Clock clock) {
    return register(registry, kept, () -> kept.get().size(), clock);
  }

  /** @param stored invocation entries the registry holds, tombstones of forgotten ones included */
  public static AsyncMetrics register(PrometheusRegistry registry, Supplier<Map<String, Invocation>> kept,
      java.util.function.LongSupplier stored, Clock clock) {
    Counter accepted = Counter.builder().name("pulse_async_accepted")
        .help("Async invocations accepted (durable on a majority) by this replica").build();
    Counter retries = Counter.builder().name("pulse_async_retries")
        .help("Attempts of async invocations after the first").build();
    Counter finished = Counter.builder().name("pulse_async_finished")
        .help("Async invocations that ended, by state (succeeded, failed = dead-lettered)").labelNames("state")
        .build();
    GaugeWithCallback states = GaugeWithCallback.builder().name("pulse_async_invocations")
        .help("Kept async invocations by state (queued, running, succeeded, failed)").labelNames("state")
        .callback(cb -> {
          Map<String, Invocation> now = kept.get();
          for (InvocationState state : InvocationState.values()) {
            cb.call(now.values().stream().filter(i -> i.state() == state).count(), state.label());
          }
        }).build();
    GaugeWithCallback oldest = GaugeWithCallback.builder().name("pulse_async_oldest_pending_seconds")
        .help("Age of the oldest async invocation not finished yet (0 when none)")
        .callback(cb -> cb.call(oldestPendingSeconds(kept.get(), clock.instant()))).build();
    GaugeWithCallback entries = GaugeWithCallback.builder().name("pulse_async_stored_entries")
        .help("Async invocation entries this replica stores, tombstones of forgotten ones included (purged past"
            + " the horizon)")
        .callback(cb -> cb.call(stored.getAsLong())).build();
    List<Collector> all = List.of(accepted, retries, finished, states, oldest, entries);
    all.forEach(registry::register);
    return new AsyncMetrics(registry, accepted, retries, finished, all);
  }

  static double oldestPendingSeconds(Map<String, Invocation> kept, Instant now) {
    return kept.values().stream().filter(i -> !i.state().finished()).map(Invocation::acceptedAt)
        .min(Instant::compareTo).map(t -> Duration.between(t, now).toMillis() / 1000.0).orElse(0.0);
  }

  public void accepted() {
    accepted.inc();
  }

  void retried() {
    retries.inc();
  }

  void ended(Invocation after) {
    if (after.state().finished()) {
      finished.labelValues(after.state().label()).inc();
    }
  }

  public void unregister() {
    registered.forEach(registry::unregister);
  }
}
