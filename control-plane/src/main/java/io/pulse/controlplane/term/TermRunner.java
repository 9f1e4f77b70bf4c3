package io.pulse.controlplane.term;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Settles one evaluation: steps the machine, hands each {@link TermAction.Claim} to the claims port and steps again
 * with its outcome, until the machine asks for no claim. Every other action is returned, in order, for the adapter.
 */
public final class TermRunner {

  /** Enough for a few lost races between replicas elected one after another; the next evaluation goes on. */
  private static final int MAX_CLAIMS = 8;

  private TermRunner() {}

  /** Raises the cluster's epoch record; the one piece of I/O inside a term decision. */
  @FunctionalInterface
  public interface EpochClaims {

    /**
     * Tries to raise the cluster's epoch to {@code proposed} and, if won, persists it locally.
     *
     * @throws RuntimeException when no majority takes the write (the term stays a candidate; the next evaluation
     *     claims again)
     */
    ClaimOutcome claim(long proposed);
  }

  /** A claim's result: whether this replica won it, and the highest epoch the cluster's record holds now. */
  public record ClaimOutcome(boolean won, long highest) {

    public static ClaimOutcome won(long epoch) {
      return new ClaimOutcome(true, epoch);
    }

    public static ClaimOutcome lost(long highest) {
      return new ClaimOutcome(false, highest);
    }
  }

  /** The settled step; {@code failure} is the claim's exception when one failed (its term stays a candidate). */
  public record Settled(TermStep step, @org.jspecify.annotations.Nullable RuntimeException failure) {}

  public static Settled settle(ClusterView view, Term current, LongSupplier clock, EpochClaims claims) {
    List<TermAction> done = new ArrayList<>();
    ClusterView seen = view;
    Term term = current;
    for (int round = 0; round < MAX_CLAIMS; round++) {
      TermStep step = TermMachine.step(seen, term, clock.getAsLong());
      term = step.next();
      TermAction.Claim claim = null;
      for (TermAction action : step.actions()) {
        if (action instanceof TermAction.Claim c) {
          claim = c;
        } else {
          done.add(action);
        }
      }
      if (claim == null) {
        return new Settled(new TermStep(term, done), null);
      }
      try {
        seen = seen.after(claims.claim(claim.epoch()), claim.epoch());
      } catch (RuntimeException e) {
        return new Settled(new TermStep(term, done), e);
      }
    }
    return new Settled(new TermStep(term, done), null);
  }
}
