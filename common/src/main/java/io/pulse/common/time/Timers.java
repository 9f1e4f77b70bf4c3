package io.pulse.common.time;

import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one timer service: runs an action once after a delay, and lets the caller take it back. Code that waits is given
 * one of these (never a {@code Vertx}, a sleeping thread or a scheduler of its own), so that a test drives it with
 * {@code io.pulse.common.testing.ManualTimers} and a manual clock instead of real time.
 */
@FunctionalInterface
public interface Timers {

  /** A scheduled action; cancelling one that ran already, or twice, does nothing. */
  @FunctionalInterface
  interface Timer {
    void cancel();
  }

  /** Runs {@code action} once, {@code delayMillis} from now (a delay below 1 ms counts as 1 ms). */
  Timer schedule(long delayMillis, Runnable action);

  /**
   * Runs {@code action} every {@code periodMillis}, the first time one period from now, until cancelled. Built on
   * {@link #schedule} (each run schedules the next), so manual timers drive it like any other; a cancel from inside
   * the action stops it too.
   */
  default Timer every(long periodMillis, Runnable action) {
    return new Timer() {
      // Volatile for the virtual-thread timers, whose runs and cancels may come from different threads: a run that
      // races a cancel checks the flag first, so at most one stray run is scheduled and it does nothing.
      private volatile boolean cancelled;
      private volatile Timer next = schedule(periodMillis, this::run);

      private void run() {
        if (cancelled) {
          return;
        }
        try {
          action.run();
        } finally { // an action that throws is reported by the timer service and runs again next period
          if (!cancelled) {
            next = schedule(periodMillis, this::run);
          }
        }
      }

      @Override
      public void cancel() {
        cancelled = true;
        next.cancel();
      }
    };
  }

  /**
   * Vert.x timers: called on a Vert.x context, the action runs on that context (a verticle's state stays confined to
   * it).
   */
  static Timers of(Vertx vertx) {
    return (delayMillis, action) -> {
      long id = vertx.setTimer(Math.max(1, delayMillis), t -> action.run());
      return () -> vertx.cancelTimer(id);
    };
  }

  /**
   * Each action on a virtual thread of its own that sleeps first, for code with no Vert.x context (gRPC callbacks);
   * cancelling interrupts the sleep and drops the action.
   */
  static Timers virtualThreads(String name) {
    return (delayMillis, action) -> {
      AtomicBoolean taken = new AtomicBoolean(); // by the run or by a cancel, whichever comes first
      Thread thread = Thread.ofVirtual().name(name).start(() -> {
        try {
          Thread.sleep(Math.max(1, delayMillis));
        } catch (InterruptedException e) {
          return;
        }
        if (taken.compareAndSet(false, true)) {
          action.run();
        }
      });
      return () -> {
        if (taken.compareAndSet(false, true)) {
          thread.interrupt(); // never an action that runs already
        }
      };
    };
  }
}
