package io.pulse.bench.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MachineCpuTest {

  @Test
  void ticks_busyIsAllButIdleAndIoWait_guestNotCountedTwice() {
    // user nice system idle iowait irq softirq steal guest guest_nice
    long[] ticks = MachineCpu.ticks("cpu  100 5 50 800 20 3 2 10 40 0");

    assertThat(ticks).containsExactly(100 + 5 + 50 + 3 + 2 + 10, 990);
  }

  @Test
  void ticks_refusesAPerCoreLine() {
    assertThatThrownBy(() -> MachineCpu.ticks("cpu0 1 2 3 4 5 6 7 8 0 0")).hasMessageContaining("aggregate");
  }

  @Test
  void cores_areThePerCoreLines() {
    assertThat(MachineCpu.cores("cpu  1 2 3 4\ncpu0 1 1 1 1\ncpu1 0 1 2 3\nintr 5\nctxt 9\n")).isEqualTo(2);
  }

  @Test
  void between_givesCoresInUse_andWhatOthersUsed() {
    MachineCpu.Reading before = new MachineCpu.Reading(1_000, 10_000, 5_000_000, 0, 2);
    // Two cores over 10 s: 2,000 ticks of 100 Hz; 1,500 of them busy; this JVM used 4 s of CPU.
    MachineCpu.Reading after = new MachineCpu.Reading(2_500, 12_000, 9_000_000, 10_000_000_000L, 2);

    MachineCpu.Use use = MachineCpu.between(before, after);

    assertThat(use.busyCores()).isCloseTo(1.5, within(1e-9));
    assertThat(use.ownCores()).isCloseTo(0.4, within(1e-9));
    assertThat(use.otherCores()).isCloseTo(1.1, within(1e-9));
  }

  @Test
  void read_onThisMachine_seesThisJvmWorking() {
    MachineCpu.Reading before = MachineCpu.read().orElseThrow();
    long end = System.nanoTime() + 200_000_000L;
    long spin = 0;
    while (System.nanoTime() < end) {
      spin++;
    }
    MachineCpu.Reading after = MachineCpu.read().orElseThrow();

    MachineCpu.Use use = MachineCpu.between(before, after);
    assertThat(use.cores()).isPositive();
    assertThat(spin).isPositive();
    assertThat(use.ownCores()).isPositive(); // a spinning thread, seen in 10 ms ticks
    assertThat(use.busyCores()).isGreaterThan(0);
  }
}
