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
    assertThat(ProcessCpu.times(stat)).isEqualTo(new ProcessCpu.Times(7_310_000, 2_690_000));
    assertThat(ProcessCpu.name(stat)).isEqualTo("my (odd) java");
  }

  @Test
  @org.junit.jupiter.api.Timeout(60)
  void threadMicros_countsOnlyTheNamedThreads() throws Exception {
    long pid = ProcessHandle.current().pid();
    java.util.concurrent.atomic.AtomicBoolean spin = new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread busy = Thread.ofPlatform().name("cpu-probe-spin").start(() -> {
      while (spin.get()) {
        Thread.onSpinWait();
      }
    });
    try {
      // Until the kernel has charged the spinning thread a tick (10 ms); the timeout bounds the wait.
      while (ProcessCpu.threadMicros(pid, "cpu-probe-spin").orElseThrow() == 0) {
        Thread.onSpinWait();
      }
      assertThat(ProcessCpu.threadMicros(pid, "no-such-thread")).hasValue(0);
      assertThat(ProcessCpu.threadMicros(pid, "cpu-probe").orElseThrow()).isPositive();
    } finally {
      spin.set(false);
      busy.join();
    }
  }

  @Test
  void micros_ofThisProcess_isPositive_andOfNoProcess_isEmpty() {
    assertThat(ProcessCpu.micros(ProcessHandle.current().pid()).orElseThrow()).isPositive();
    assertThat(ProcessCpu.micros(Long.MAX_VALUE)).isEmpty();
  }
}
