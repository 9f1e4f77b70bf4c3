package io.pulse.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.common.testing.ManualTimers;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The scheduler's own wake-ups on manual timers: the tick's period, housekeeping at its deadline or the safety net. */
class SchedulerWakeupsTest {

  private final ManualTimers timers = new ManualTimers(10_000);
  private final List<String> ran = new ArrayList<>();
  /** Housekeeping's deadlines (workers' expiries), each cleared by the first run at or after it, as expiry does. */
  private final TreeSet<Long> deadlines = new TreeSet<>();

  private SchedulerWakeups wakeups(long tickMillis, long housekeepingMaxMillis) {
    return new SchedulerWakeups(timers, timers.clock(), tickMillis, housekeepingMaxMillis,
        () -> ran.add("tick@" + timers.now()), () -> {
          ran.add("housekeeping@" + timers.now());
          deadlines.headSet(timers.now(), true).clear();
        }, () -> deadlines.isEmpty() ? Long.MAX_VALUE : deadlines.first());
  }

  @Test
  void ticksEveryPeriod_andHousekeepsAtTheSafetyNet_whenNoDeadlineIsSet() {
    wakeups(2_000, 750).start();

    timers.advance(2_000);

    assertThat(ran).containsExactly("housekeeping@10750", "housekeeping@11500", "tick@12000");
  }

  @Test
  void housekeepingWakesAtTheNextDeadline_beforeTheSafetyNet() {
    deadlines.addAll(List.of(10_300L, 10_900L)); // two workers' heartbeats expire then
    wakeups(2_000, 750).start();

    timers.advance(300);
    assertThat(ran).containsExactly("housekeeping@10300");

    timers.advance(1_350); // then the safety net, a period after the last run
    assertThat(ran).containsExactly("housekeeping@10300", "housekeeping@10900", "housekeeping@11650");
  }

  @Test
  void aDeadlineAlreadyPassed_wakesAtOnce_butOneARunLeavesDue_waitsForTheSafetyNet() {
    SchedulerWakeups wakeups = new SchedulerWakeups(timers, timers.clock(), 2_000, 750, () -> { },
        () -> ran.add("housekeeping@" + timers.now()), () -> 9_000);
    wakeups.start();
    assertThat(timers.pending()).contains(new ManualTimers.Pending(10_001, 1));

    timers.advance(1_000);

    assertThat(ran).containsExactly("housekeeping@10001", "housekeeping@10751");
  }

  @Test
  void stop_cancelsBoth() {
    SchedulerWakeups wakeups = wakeups(2_000, 750);
    wakeups.start();
    timers.advance(750);
    wakeups.stop();

    timers.advance(10_000);

    assertThat(ran).containsExactly("housekeeping@10750");
    assertThat(timers.pending()).isEmpty();
  }
}
