package io.pulse.controlplane.term;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One replica's place in the leader terms, immutable; kafka raft has a class per role, here the role is a field of
 * one record because no role carries data of its own beyond the elected replica and the epoch.
 *
 * @param role what this replica does in the term
 * @param elected the replica the election names: the leader (this replica while leading or claiming), null without a
 *     majority in view
 * @param epoch the term's epoch: the one led, the one being claimed, or the highest known
 * @param quorum whether the view held a majority at the last step (a gain of it means a split healed)
 */
public record Term(Role role, @Nullable String elected, long epoch, boolean quorum) {

  /** The roles; transitions happen only in {@link TermMachine#step}. */
  public enum Role {
    /** No majority in view: nobody leads. */
    UNATTACHED,
    /** Elected by membership; the epoch is claimed but not yet won. */
    CANDIDATE,
    /** Another replica leads. */
    FOLLOWER,
    /** This replica leads in {@link #epoch()}: the only role whose commands reach workers. */
    LEADER
  }

  /** A replica that has just started: nothing seen yet. */
  public static Term initial() {
    return new Term(Role.UNATTACHED, null, 0, false);
  }

  public boolean leading() {
    return role == Role.LEADER;
  }

  /** The leader to name to clients: none while a term is being claimed. */
  public @Nullable String leader() {
    return role == Role.CANDIDATE ? null : elected;
  }

  /** The epoch to publish: 0 while no leader is known. */
  public long publishedEpoch() {
    return leader() == null ? 0 : epoch;
  }

  /** The actions that bring a listener that arrives late to this term (as if it had seen every step). */
  public List<TermAction> replay() {
    List<TermAction> actions = new ArrayList<>(2);
    if (quorum) {
      actions.add(new TermAction.Merge());
    }
    if (leading()) {
      actions.add(new TermAction.Begin(epoch));
    }
    return List.copyOf(actions);
  }
}
