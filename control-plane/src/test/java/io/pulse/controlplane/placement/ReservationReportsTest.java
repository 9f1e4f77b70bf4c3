package io.pulse.controlplane.placement;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.controlplane.placement.HostReservations.Reserved;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReservationReportsTest {

  @Test
  void total_sumsTheLatestReportOfEveryBridgePerHost() {
    ReservationReports reports = ReservationReports.NONE
        .report("b1", Map.of("h1", new Reserved(100, 10), "h2", new Reserved(5, 5)), 0)
        .report("b2", Map.of("h1", new Reserved(50, 20)), 0)
        .report("b1", Map.of("h1", new Reserved(300, 30)), 1); // replaces b1's first report

    HostReservations total = reports.total();

    assertThat(total.byHost()).containsOnlyKeys("h1");
    assertThat(total.byHost().get("h1")).isEqualTo(new Reserved(350, 50));
  }

  @Test
  void expire_dropsSilentBridgesOnly() {
    ReservationReports reports = ReservationReports.NONE
        .report("old", Map.of("h1", new Reserved(100, 10)), 0)
        .report("fresh", Map.of("h1", new Reserved(1, 1)), 50_000);

    assertThat(reports.expire(59_000, 60_000)).isSameAs(reports);
    assertThat(reports.expire(61_000, 60_000).total().byHost().get("h1")).isEqualTo(new Reserved(1, 1));
  }

  @Test
  void shareOf_splitsAHostsReservationOverItsWorkersRoundingUp() {
    HostReservations reservations = new HostReservations(Map.of("h1", new Reserved(1001, 3)));

    assertThat(reservations.shareOf("h1", 2)).isEqualTo(new Reserved(501, 2));
    assertThat(reservations.shareOf("h1", 1)).isEqualTo(new Reserved(1001, 3));
    assertThat(reservations.shareOf("other", 1)).isEqualTo(new Reserved(0, 0));
  }
}
