package io.pulse.controlplane.instances;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class InFlightReportsTest {

  @Test
  void inUse_whileAnyDataPlaneLastReportedRequestsOnTheInstance() {
    InFlightReports reports = InFlightReports.NONE
        .report("dp-1", Map.of("a", 2, "b", 0))
        .report("dp-2", Map.of("c", 1));

    assertThat(reports.inUse("a")).isTrue();
    assertThat(reports.inUse("b")).as("zero counts as idle").isFalse();
    assertThat(reports.inUse("c")).isTrue();

    InFlightReports later = reports.report("dp-1", Map.of()); // dp-1's next report: nothing running any more
    assertThat(later.inUse("a")).isFalse();
    assertThat(later.inUse("c")).isTrue();
    assertThat(later.without("dp-2").inUse("c")).as("a data plane that left takes its requests along").isFalse();
  }
}
