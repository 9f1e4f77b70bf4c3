package io.pulse.worker.service;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Orders this worker's listings against its creations, so that the control plane can tell a listing taken before a
 * sandbox existed, however late it arrives, from one that shows the sandbox gone. A listing is stamped with
 * {@link #listing()}, drawn just before it is taken; a creation's answer with {@link #recorded()}, drawn once its
 * sandbox is in the runtime's table. Both advance one atomic value and a creation always draws above every listing
 * drawn before it, so a listing stamped at or above a creation's generation was taken after that sandbox was recorded,
 * and shows it until it is deleted.
 *
 * <p>Across restarts, without writing anything: generations follow the wall clock in microseconds (a hybrid logical
 * clock: never below the clock, one above the last value when the clock has not moved or went back), so a restarted
 * worker draws above everything its previous run handed out. A wall clock set back across a restart is the one case
 * this does not cover, and it costs liveness only: until the clock is back where it was, the new run's listings look
 * older than the previous run's creations, and an instance lost in the restart is dropped that much later. Keeping the
 * value on disk like {@link EpochFile} would cover it, at the price of a write before every creation's answer.
 */
public final class ListingGenerations {

  private final AtomicLong last = new AtomicLong();
  private final LongSupplier clockMicros;

  /** @param clockMicros the wall clock in microseconds */
  public ListingGenerations(LongSupplier clockMicros) {
    this.clockMicros = clockMicros;
  }

  /** On the system's wall clock (millisecond precision suffices: equal readings are told apart by counting). */
  public static ListingGenerations wallClock() {
    return new ListingGenerations(() -> System.currentTimeMillis() * 1_000);
  }

  /** The generation of a listing about to be taken: draw it before reading the table. */
  public long listing() {
    long now = clockMicros.getAsLong();
    return last.accumulateAndGet(now, Math::max);
  }

  /** The generation of a sandbox already in the table: every listing drawn from now on is above or equal to it. */
  public long recorded() {
    long now = clockMicros.getAsLong();
    return last.accumulateAndGet(now, (previous, clock) -> Math.max(previous + 1, clock));
  }
}
