package io.pulse.controlplane.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AccountingMetricsTest {

  private static final long T0 = 1_000_000;

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final AtomicLong scrapeClock = new AtomicLong(T0);
  private final AccountingMetrics metrics = AccountingMetrics.register(registry, scrapeClock::get);

  private static UsageSample emergency(String id, long created, long ended) {
    return new UsageSample(id, "f", InstanceKind.EMERGENCY, 0, "w-1", created, 50_000, ended, 128);
  }

  private double scrape(String name, long at) {
    scrapeClock.set(at);
    return registry.scrape().stream()
        .filter(m -> m.getMetadata().getPrometheusName().equals(name))
        .flatMap(m -> ((CounterSnapshot) m).getDataPoints().stream())
        .filter(p -> "emergency".equals(p.getLabels().get("kind")))
        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
  }

  @Test
  void heldMemory_anEndReportedAfterAScrapeThatChargedPastIt_doesNotStepTheCounterBack() {
    Accounting accounting = new Accounting(metrics, T0);
    accounting.usage(List.of(emergency("e1", T0, 0)), List.of(), T0 + 1_000);
    assertThat(scrape("pulse_controlplane_memory_held_mib_seconds", T0 + 4_000)).isCloseTo(512.0, within(1e-6));

    // The data plane reports e1 ended at T0+2s, after a scrape charged it live up to T0+4s.
    accounting.usage(List.of(emergency("e1", T0, T0 + 2_000)), List.of(), T0 + 4_100);
    assertThat(metrics.current().summary(T0 + 4_200).total().byKind().get(InstanceKind.EMERGENCY).heldMiBSeconds())
        .as("the ledger's own total drops by the 2 s charged past the end").isCloseTo(256.0, within(1e-6));
    assertThat(scrape("pulse_controlplane_memory_held_mib_seconds", T0 + 4_200)).isCloseTo(512.0, within(1e-6));

    // Once the ledger's total passes what was shown, the counter follows it again.
    accounting.usage(List.of(emergency("e2", T0 + 4_200, 0)), List.of(), T0 + 4_400);
    assertThat(scrape("pulse_controlplane_memory_held_mib_seconds", T0 + 7_000))
        .isCloseTo(256.0 + 128 * 2.8, within(1e-6));
  }

  @Test
  void aNewLeaderTerm_restartsTheCounters_andTheEndedTermCannotOverwriteThem() {
    Accounting first = new Accounting(metrics, T0);
    first.usage(List.of(emergency("e1", T0, T0 + 3_000)), List.of(), T0 + 1_000);
    assertThat(scrape("pulse_controlplane_memory_held_mib_seconds", T0 + 5_000)).isCloseTo(384.0, within(1e-6));

    Accounting second = new Accounting(metrics, T0 + 6_000);
    assertThat(scrape("pulse_controlplane_memory_held_mib_seconds", T0 + 6_000)).isZero();
    second.usage(List.of(emergency("e2", T0 + 6_000, 0)), List.of(), T0 + 6_500);
    // The ended term's accounting, fed once more, publishes into its own term only.
    first.usage(List.of(emergency("e3", T0 + 5_500, 0)), List.of(), T0 + 6_600);
    assertThat(scrape("pulse_controlplane_memory_held_mib_seconds", T0 + 7_000)).isCloseTo(128.0, within(1e-6));
  }
}
