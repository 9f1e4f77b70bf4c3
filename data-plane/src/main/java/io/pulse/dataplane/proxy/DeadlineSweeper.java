package io.pulse.dataplane.proxy;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Drives one event loop's {@link Deadlines}: one periodic timer, armed while an exchange is pending, sweeps them every
 * {@link #PERIOD_MILLIS}; a deadline fires up to that late (timeouts are whole seconds). Use from that event loop only.
 */
final class DeadlineSweeper {

  static final long PERIOD_MILLIS = 50;

  private final Vertx vertx;
  private final LongSupplier nanoClock;
  private final Deadlines deadlines = new Deadlines();
  private long timer = -1;

  DeadlineSweeper(Vertx vertx, LongSupplier nanoClock) {
    this.vertx = vertx;
    this.nanoClock = nanoClock;
  }

  /** {@code entry} expires {@code timeoutMillis} from now unless {@link #cancel cancelled} first. */
  void schedule(Deadlines.Entry entry, long timeoutMillis) {
    deadlines.add(entry, TimeUnit.MILLISECONDS.toNanos(timeoutMillis), nanoClock.getAsLong());
    if (timer < 0) {
      timer = vertx.setPeriodic(PERIOD_MILLIS, id -> sweep());
    }
  }

  void cancel(Deadlines.Entry entry) {
    deadlines.remove(entry);
  }

  private void sweep() {
    deadlines.sweep(nanoClock.getAsLong());
    if (deadlines.size() == 0 && timer >= 0) { // idle: no timer until the next exchange
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** Whether the periodic sweep runs (tests). */
  boolean armed() {
    return timer >= 0;
  }

  void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
