package io.pulse.worker.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.worker.sandbox.Resources;
import org.junit.jupiter.api.Test;

class CapacityLedgerTest {

  private final CapacityLedger empty = CapacityLedger.empty(new Resources(1000, 512));

  @Test
  void shortfall_isNullWhileTheRequestFits() {
    CapacityLedger ledger = empty.with("a", new Resources(600, 256));

    assertThat(ledger.shortfall(new Resources(400, 256))).isNull();
    assertThat(ledger.total()).isEqualTo(new Resources(600, 256));
  }

  @Test
  void shortfall_namesTheResourceThatDoesNotFit() {
    CapacityLedger ledger = empty.with("a", new Resources(600, 256));

    assertThat(ledger.shortfall(new Resources(401, 0))).startsWith("cpu:").contains("400m of 1000m free");
    assertThat(ledger.shortfall(new Resources(0, 257))).startsWith("memory:").contains("256 MiB of 512 MiB free");
  }

  @Test
  void without_releasesTheReservationAndIgnoresUnknownIds() {
    CapacityLedger ledger = empty.with("a", new Resources(600, 256)).with("b", new Resources(100, 100));

    CapacityLedger released = ledger.without("a").without("unknown");

    assertThat(released.total()).isEqualTo(new Resources(100, 100));
    assertThat(released.reserved()).containsOnlyKeys("b");
    assertThat(ledger.total()).as("the old value is unchanged").isEqualTo(new Resources(700, 356));
  }

  @Test
  void with_sameIdTwice_replacesRatherThanAdds() {
    CapacityLedger ledger = empty.with("a", new Resources(600, 256)).with("a", new Resources(100, 10));

    assertThat(ledger.total()).isEqualTo(new Resources(100, 10));
  }
}
