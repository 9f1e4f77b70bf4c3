package io.pulse.bench.driver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TimeWaitTest {

  @Test
  void timeWait_takesTimeWaitLinesOfThePortOnly_eitherEnd() {
    // /proc/net/tcp lines: sl, local, remote, st, ...; port 8080 is 1F90.
    String toPort = "  12: 0100007F:9C40 0100007F:1F90 06 00000000:00000000 03:00000A1B 00000000     0        0 0 3";
    String fromPort = "  13: 0100007F:1F90 0100007F:9C41 06 00000000:00000000 03:00000A1B 00000000     0        0 0 3";
    String established = "  14: 0100007F:9C42 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  0 0 1 1";
    String otherPort = "  15: 0100007F:9C43 0100007F:1F91 06 00000000:00000000 03:00000A1B 00000000   0 0 0 3";
    String header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";

    assertThat(TimeWait.timeWait(toPort, 8080)).isEqualTo("0100007F:9C40 0100007F:1F90");
    assertThat(TimeWait.timeWait(fromPort, 8080)).isEqualTo("0100007F:1F90 0100007F:9C41");
    assertThat(TimeWait.timeWait(established, 8080)).isNull();
    assertThat(TimeWait.timeWait(otherPort, 8080)).isNull();
    assertThat(TimeWait.timeWait(header, 8080)).isNull();
  }
}
