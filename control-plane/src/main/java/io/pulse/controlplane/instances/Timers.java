package io.pulse.controlplane.instances;

import io.vertx.core.Vertx;

/**
 * The one timer the lifecycle needs: its coordinator arms it for the earliest deadline in its state. Vert.x in
 * production; the simulation's event queue in tests.
 */
public interface Timers {

  /** Runs {@code action} on the owner's context after {@code delayMillis}; returns an id to cancel it. */
  long schedule(long delayMillis, Runnable action);

  void cancel(long id);

  static Timers of(Vertx vertx) {
    return new Timers() {
      @Override
      public long schedule(long delayMillis, Runnable action) {
        return vertx.setTimer(Math.max(1, delayMillis), id -> action.run());
      }

      @Override
      public void cancel(long id) {
        vertx.cancelTimer(id);
      }
    };
  }
}
