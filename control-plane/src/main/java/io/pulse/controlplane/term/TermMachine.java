package io.pulse.controlplane.term;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Every leader-term decision of a replica, as one pure function. The election is by membership: the oldest member of
 * a view holding a majority of the configured replicas is elected; it leads only once it has won a claim of a new
 * epoch above every epoch known (the cluster's record takes a claim only on a majority side), so no two replicas ever
 * lead in the same epoch and workers can fence the older one.
 */
public final class TermMachine {

  private TermMachine() {}

  /** The next term of this replica and the actions that take it there. */
  public static TermStep step(ClusterView view, Term current, long nowMillis) {
    String elected = elected(view);
    boolean quorum = elected != null;
    boolean selfElected = view.self().equals(elected);
    List<TermAction> actions = new ArrayList<>(3);
    if (quorum && !current.quorum()) {
      actions.add(new TermAction.Merge());
    }
    if (current.leading() && (!selfElected || view.highestEpoch() > current.epoch())) {
      // Deposed, or a newer term began somewhere: this term must stop acting on workers before anything else.
      actions.add(new TermAction.End(current.epoch()));
    }
    Term next;
    if (!selfElected) {
      next = new Term(elected == null ? Term.Role.UNATTACHED : Term.Role.FOLLOWER, elected, view.highestEpoch(),
          quorum);
    } else if (current.leading() && view.highestEpoch() <= current.epoch()) {
      next = current;
    } else if (current.role() == Term.Role.CANDIDATE && view.claimed() == current.epoch()
        && view.highestEpoch() <= current.epoch()) {
      next = new Term(Term.Role.LEADER, elected, current.epoch(), true);
      actions.add(new TermAction.Begin(current.epoch()));
    } else {
      long proposed = nextEpoch(view.highestEpoch(), nowMillis);
      next = new Term(Term.Role.CANDIDATE, elected, proposed, true);
      actions.add(new TermAction.Claim(proposed));
    }
    return new TermStep(next, actions);
  }

  /** The oldest member, provided the view is a majority of the configured replicas; a minority elects nobody. */
  public static @Nullable String elected(ClusterView view) {
    return view.members().size() < view.majority() ? null : view.members().getFirst();
  }

  /**
   * The epoch of a new term: above every epoch known anywhere, and never below the wall clock in milliseconds, so that
   * terms keep growing even when a replica lost its data directory (workers refuse commands of an older epoch).
   */
  public static long nextEpoch(long highestKnown, long nowMillis) {
    return Math.max(highestKnown + 1, nowMillis);
  }
}
