package io.pulse.controlplane;

import io.pulse.common.time.Timers;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * When the scheduler wakes by itself: the autoscaler's tick every {@code tickMillis}, and housekeeping at the next
 * deadline it names (a worker's heartbeat expiry), at most {@code housekeepingMaxMillis} apart as a safety net for
 * what keeps no deadline (accounting's folding). Every wake goes through the one timer service, so a test drives it
 * with manual timers; runs on the scheduler's context (the timers' actions do).
 */
final class SchedulerWakeups {

  private final Timers timers;
  private final LongSupplier clock;
  private final long tickMillis;
  private final long housekeepingMaxMillis;
  private final Runnable tick;
  private final Runnable housekeeping;
  /** The earliest time housekeeping has something to do, or {@link Long#MAX_VALUE}; asked after each run. */
  private final LongSupplier nextDeadline;
  private Timers.@Nullable Timer ticks;
  private Timers.@Nullable Timer nextHousekeeping;
  private boolean stopped;

  SchedulerWakeups(Timers timers, LongSupplier clock, long tickMillis, long housekeepingMaxMillis, Runnable tick,
      Runnable housekeeping, LongSupplier nextDeadline) {
    this.timers = timers;
    this.clock = clock;
    this.tickMillis = tickMillis;
    this.housekeepingMaxMillis = housekeepingMaxMillis;
    this.tick = tick;
    this.housekeeping = housekeeping;
    this.nextDeadline = nextDeadline;
  }

  void start() {
    ticks = timers.every(tickMillis, tick);
    armHousekeeping(false);
  }

  /** Nothing runs after this. */
  void stop() {
    stopped = true;
    if (ticks != null) {
      ticks.cancel();
    }
    if (nextHousekeeping != null) {
      nextHousekeeping.cancel();
    }
  }

  /** @param afterRun a deadline still due right after a run is one housekeeping does not clear: no busy wake */
  private void armHousekeeping(boolean afterRun) {
    long now = clock.getAsLong();
    long until = nextDeadline.getAsLong() - now;
    long delay = afterRun && until <= 0 ? housekeepingMaxMillis : Math.clamp(until, 1, housekeepingMaxMillis);
    nextHousekeeping = timers.schedule(delay, () -> {
      if (stopped) {
        return;
      }
      housekeeping.run();
      if (!stopped) {
        armHousekeeping(true);
      }
    });
  }
}
