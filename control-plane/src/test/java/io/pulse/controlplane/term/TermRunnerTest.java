package io.pulse.controlplane.term;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.controlplane.term.TermAction.Begin;
import io.pulse.controlplane.term.TermAction.End;
import io.pulse.controlplane.term.TermAction.Merge;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TermRunnerTest {

  @Test
  void settle_wonClaim_leadsInTheClaimedEpochAndHidesTheClaim() {
    List<Long> claimed = new ArrayList<>();
    TermRunner.Settled settled = TermRunner.settle(ClusterView.of("a", List.of("a", "b"), 3, 4), Term.initial(),
        () -> 0, proposed -> {
          claimed.add(proposed);
          return TermRunner.ClaimOutcome.won(proposed);
        });
    assertThat(claimed).containsExactly(5L);
    assertThat(settled.step().actions()).containsExactly(new Merge(), new Begin(5));
    assertThat(settled.step().next().leading()).isTrue();
    assertThat(settled.failure()).isNull();
  }

  @Test
  void settle_lostRace_claimsAboveTheWinner() {
    List<Long> claimed = new ArrayList<>();
    TermRunner.Settled settled = TermRunner.settle(ClusterView.of("a", List.of("a", "b"), 3, 4), Term.initial(),
        () -> 0, proposed -> {
          claimed.add(proposed);
          return proposed < 9 ? TermRunner.ClaimOutcome.lost(8) : TermRunner.ClaimOutcome.won(proposed);
        });
    assertThat(claimed).containsExactly(5L, 9L);
    assertThat(settled.step().next().epoch()).isEqualTo(9);
  }

  @Test
  void settle_failedClaim_keepsTheEndAndStaysCandidate() {
    Term leading = new Term(Term.Role.LEADER, "a", 3, true);
    TermRunner.Settled settled = TermRunner.settle(ClusterView.of("a", List.of("a", "b"), 3, 6), leading,
        () -> 0, proposed -> {
          throw new IllegalStateException("no majority");
        });
    assertThat(settled.step().actions()).containsExactly(new End(3));
    assertThat(settled.step().next().role()).isEqualTo(Term.Role.CANDIDATE);
    assertThat(settled.failure()).hasMessage("no majority");
  }
}
