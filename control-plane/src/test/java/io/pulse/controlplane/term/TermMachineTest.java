package io.pulse.controlplane.term;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.controlplane.term.TermAction.Begin;
import io.pulse.controlplane.term.TermAction.Claim;
import io.pulse.controlplane.term.TermAction.End;
import io.pulse.controlplane.term.TermAction.Merge;
import java.util.List;
import org.junit.jupiter.api.Test;

class TermMachineTest {

  private static ClusterView view(String self, long highest, String... members) {
    return ClusterView.of(self, List.of(members), 3, highest);
  }

  @Test
  void step_oldestOfAMajority_claimsAboveEveryKnownEpochThenLeadsInIt() {
    TermStep claim = TermMachine.step(view("a", 41, "a", "b"), Term.initial(), 10);
    assertThat(claim.next().role()).isEqualTo(Term.Role.CANDIDATE);
    assertThat(claim.next().leader()).isNull(); // nobody named while the claim is open
    assertThat(claim.actions()).containsExactly(new Merge(), new Claim(42));

    ClusterView won = new ClusterView("a", List.of("a", "b"), 3, 42, 42);
    TermStep lead = TermMachine.step(won, claim.next(), 11);
    assertThat(lead.next()).isEqualTo(new Term(Term.Role.LEADER, "a", 42, true));
    assertThat(lead.actions()).containsExactly(new Begin(42));

    TermStep stay = TermMachine.step(view("a", 42, "a", "b", "c"), lead.next(), 12);
    assertThat(stay.next()).isEqualTo(lead.next());
    assertThat(stay.actions()).isEmpty();
  }

  @Test
  void step_lostClaim_claimsAgainAboveTheWinner() {
    TermStep claim = TermMachine.step(view("a", 5, "a", "b"), Term.initial(), 0);
    ClusterView lost = new ClusterView("a", List.of("a", "b"), 3, 6, 0); // someone else took 6
    TermStep again = TermMachine.step(lost, claim.next(), 0);
    assertThat(again.next().role()).isEqualTo(Term.Role.CANDIDATE);
    assertThat(again.actions()).containsExactly(new Claim(7));
  }

  @Test
  void step_epochNeverBelowTheWallClock() {
    assertThat(TermMachine.step(view("a", 41, "a", "b"), Term.initial(), 1_000).actions())
        .contains(new Claim(1_000));
    assertThat(TermMachine.nextEpoch(41, 10)).isEqualTo(42);
  }

  @Test
  void step_leaderLosingItsMajority_endsItsTerm() {
    Term leading = new Term(Term.Role.LEADER, "a", 7, true);
    TermStep alone = TermMachine.step(view("a", 7, "a"), leading, 0);
    assertThat(alone.actions()).containsExactly(new End(7));
    assertThat(alone.next().role()).isEqualTo(Term.Role.UNATTACHED);
    assertThat(alone.next().leader()).isNull();
  }

  @Test
  void step_leaderSeeingAnOlderMember_endsAndFollows() {
    Term leading = new Term(Term.Role.LEADER, "b", 7, true);
    TermStep step = TermMachine.step(view("b", 7, "a", "b"), leading, 0);
    assertThat(step.actions()).containsExactly(new End(7));
    assertThat(step.next()).isEqualTo(new Term(Term.Role.FOLLOWER, "a", 7, true));
  }

  @Test
  void step_leaderLearningANewerEpoch_endsAndClaimsAboveIt() {
    Term leading = new Term(Term.Role.LEADER, "a", 7, true);
    TermStep step = TermMachine.step(view("a", 9, "a", "b"), leading, 0);
    assertThat(step.actions()).containsExactly(new End(7), new Claim(10));
  }

  @Test
  void step_majorityRegained_mergesOnce() {
    Term follower = TermMachine.step(view("b", 3, "a", "b"), Term.initial(), 0).next();
    Term split = TermMachine.step(view("b", 3, "b"), follower, 0).next();
    assertThat(TermMachine.step(view("b", 3, "a", "b"), split, 0).actions()).containsExactly(new Merge());
    assertThat(TermMachine.step(view("b", 3, "a", "b", "c"), follower, 0).actions()).isEmpty();
  }

  @Test
  void step_minority_electsNobody() {
    assertThat(TermMachine.elected(view("a", 0, "a"))).isNull();
    assertThat(TermMachine.elected(ClusterView.of("a", List.of("a", "b"), 5, 0))).isNull();
    assertThat(TermMachine.elected(ClusterView.of("a", List.of("a"), 1, 0))).isEqualTo("a");
    assertThat(TermMachine.elected(view("c", 0, "b", "a", "c"))).isEqualTo("b");
  }

  @Test
  void replay_ofALeader_mergesAndBegins() {
    assertThat(new Term(Term.Role.LEADER, "a", 4, true).replay()).containsExactly(new Merge(), new Begin(4));
    assertThat(new Term(Term.Role.FOLLOWER, "a", 4, true).replay()).containsExactly(new Merge());
    assertThat(Term.initial().replay()).isEmpty();
  }
}
