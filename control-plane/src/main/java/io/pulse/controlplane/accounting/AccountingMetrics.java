package io.pulse.controlplane.accounting;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Accounting's Prometheus series. Registered once per control plane (they outlive leader terms); the memory counters
 * read the last published snapshot at scrape time, so a new term's ledger restarts them (a counter reset).
 *
 * <p>Within a term the memory counters never step back. A scrape charges live instances up to its instant, and an
 * Emergency Instance's end, reported by its data plane a little later, can fall before that instant: the ledger's total
 * then drops by the difference, which Prometheus's {@code rate()} would read as a reset. So each series exports the
 * highest value it has shown in the term; it stays flat until the ledger's total passes it again.
 */
public final class AccountingMetrics {

  final Counter created;
  final Histogram creationSeconds;
  final Histogram lifetimeSeconds;
  final Counter expedited;
  private final List<Collector> collectors;
  private final LongSupplier clock;
  private volatile Term term = new Term(AccountingSnapshot.EMPTY);

  /**
   * One leader term's snapshot and the highest value each memory series exported in it. Only that term's {@link
   * Accounting} publishes to it, so a term that has ended cannot overwrite the next one's.
   */
  static final class Term {
    private volatile AccountingSnapshot current;
    private final ConcurrentHashMap<String, Double> exported = new ConcurrentHashMap<>();

    private Term(AccountingSnapshot first) {
      current = first;
    }

    void publish(AccountingSnapshot snapshot) {
      current = snapshot;
    }

    /** {@code value}, or the highest this series showed before in the term if that is higher. */
    private double monotone(String series, double value) {
      return exported.merge(series, value, Math::max);
    }
  }

  private AccountingMetrics(LongSupplier clock) {
    this.clock = clock;
    created = Counter.builder().name("pulse_controlplane_instances_created")
        .help("Instances created, by kind (regular: the autoscaler; emergency: the data planes' expedited track)")
        .labelNames("kind").build();
    creationSeconds = Histogram.builder().name("pulse_controlplane_instance_creation_seconds")
        .help("Time from an instance's creation request to readiness, by kind").labelNames("kind").classicOnly()
        .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10, 30).build();
    lifetimeSeconds = Histogram.builder().name("pulse_controlplane_instance_lifetime_seconds")
        .help("Time from an instance's creation request to its removal, by kind").labelNames("kind").classicOnly()
        .classicUpperBounds(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600).build();
    expedited = Counter.builder().name("pulse_controlplane_expedited_requests")
        .help("Requests the data planes sent down the expedited track, by whether the metric filter counted them")
        .labelNames("counted").build();
    CounterWithCallback held = CounterWithCallback.builder().name("pulse_controlplane_memory_held_mib_seconds")
        .help("Memory held by instances, integrated over time (MiB-seconds), by kind").labelNames("kind")
        .callback(cb -> {
          Term scraped = term;
          scraped.current.summary(clock.getAsLong()).total().byKind().forEach((kind, usage) ->
              cb.call(scraped.monotone("held/" + kind.label(), usage.heldMiBSeconds()), kind.label()));
        }).build();
    CounterWithCallback busy = CounterWithCallback.builder().name("pulse_controlplane_memory_busy_mib_seconds")
        .help("Memory of instances while serving requests, integrated over time (MiB-seconds), by kind; "
            + "normalized cost = held / busy").labelNames("kind")
        .callback(cb -> {
          Term scraped = term;
          scraped.current.summary(clock.getAsLong()).total().byKind().forEach((kind, usage) ->
              cb.call(scraped.monotone("busy/" + kind.label(), usage.busyMiBSeconds()), kind.label()));
        }).build();
    collectors = List.of(created, creationSeconds, lifetimeSeconds, expedited, held, busy);
  }

  /** Creates the series and registers them in {@code registry}. */
  public static AccountingMetrics register(PrometheusRegistry registry) {
    return register(registry, System::currentTimeMillis);
  }

  /** As {@link #register(PrometheusRegistry)}, with the clock scrapes charge live instances up to. */
  static AccountingMetrics register(PrometheusRegistry registry, LongSupplier clock) {
    AccountingMetrics metrics = new AccountingMetrics(clock);
    metrics.collectors.forEach(registry::register);
    return metrics;
  }

  public void unregister(PrometheusRegistry registry) {
    collectors.forEach(registry::unregister);
  }

  /** The last published snapshot (the REST API reads it too). */
  public AccountingSnapshot current() {
    return term.current;
  }

  /** A new leader term's ledger: its first snapshot, and the memory counters start over from it. */
  Term startTerm(AccountingSnapshot first) {
    Term started = new Term(first);
    term = started;
    return started;
  }
}
