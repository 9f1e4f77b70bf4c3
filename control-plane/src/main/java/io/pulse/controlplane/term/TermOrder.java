package io.pulse.controlplane.term;

/**
 * The verticle's guard against term actions that arrive late: a Begin applies only above every epoch already begun or
 * ended, an End only of the latest epoch (or a newer one). The adapters deliver in order today (one thread, one
 * context); this keeps an older epoch's Begin or End, should one ever lag behind a newer Begin, from ending the newer
 * term or starting a stale one (the seeded simulation delivers each evaluation's actions after a random delay of its
 * own, and found exactly that: an End of epoch N that overtook nothing but arrived after Begin of N+1 left the elected
 * leader acting in no term). One per verticle; confined to its thread.
 */
public final class TermOrder {

  private long latest;

  /** Whether {@code action} still applies; Claims and Merges always do. */
  public boolean admits(TermAction action) {
    return switch (action) {
      case TermAction.Begin begin -> advance(begin.epoch(), begin.epoch() > latest);
      case TermAction.End end -> advance(end.epoch(), end.epoch() >= latest);
      case TermAction.Claim claim -> true;
      case TermAction.Merge merge -> true;
    };
  }

  private boolean advance(long epoch, boolean admitted) {
    latest = Math.max(latest, epoch);
    return admitted;
  }
}
