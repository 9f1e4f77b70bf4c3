package io.pulse.bench.driver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessCpuTest {

  @Test
  void ticks_areUtimePlusStime_countedAfterTheCommandName() {
    // A command name with spaces and a parenthesis must not shift the fields.
    String stat = "4242 (my (odd) java) S 1 4242 4242 0 -1 4194560 12345 0 0 0 731 269 0 0 20 0 42 0 1000 "
        + "4000000000 50000 18446744073709551615 1 1 0 0 0 0 0 4096 17414 0 0 0 17 1 0 0 0 0 0";

    assertThat(ProcessCpu.ticks(stat)).isEqualTo(731 + 269);
  }

  @Test
  void micros_ofThisProcess_isPositive_andOfNoProcess_isEmpty() {
    assertThat(ProcessCpu.micros(ProcessHandle.current().pid()).orElseThrow()).isPositive();
    assertThat(ProcessCpu.micros(Long.MAX_VALUE)).isEmpty();
  }
}
