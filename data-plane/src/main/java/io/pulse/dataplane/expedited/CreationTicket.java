package io.pulse.dataplane.expedited;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The creation phase of one {@link Reservation}: from placement until the creation ends, whichever way (created,
 * failed, cut short at the deadline, or never started because the caller left). Ending it is idempotent, so the
 * worker's creation count in the {@link EmergencyLedger} and {@code onEnded} (the track choice's per-function creation
 * place) are given back exactly once, by the ledger, whatever path ends it.
 */
public final class CreationTicket {

  private static final Runnable NOTHING = () -> {};

  private final Runnable onEnded;
  private final AtomicBoolean ended = new AtomicBoolean();

  private CreationTicket(Runnable onEnded) {
    this.onEnded = onEnded;
  }

  /** A ticket that holds nothing but the worker's creation count. */
  public static CreationTicket plain() {
    return new CreationTicket(NOTHING);
  }

  /** A ticket that also runs {@code onEnded} once when the creation ends (it must be quick and never block). */
  public static CreationTicket releasing(Runnable onEnded) {
    return new CreationTicket(onEnded);
  }

  /** True the first time only: the caller then gives back what the creation held. */
  boolean end() {
    return ended.compareAndSet(false, true);
  }

  void runOnEnded() {
    onEnded.run();
  }

  /** Whether the creation has ended (tests, diagnostics). */
  public boolean ended() {
    return ended.get();
  }
}
