package io.pulse.controlplane.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LeaderElectionTest {

  private static final ReplicaInfo A = new ReplicaInfo("a", "h:1", "h:2");
  private static final ReplicaInfo B = new ReplicaInfo("b", "h:3", "h:4");
  private static final ReplicaInfo C = new ReplicaInfo("c", "h:5", "h:6");

  @Test
  void leader_majorityInView_isTheOldest() {
    assertThat(LeaderElection.leader(List.of(B, A, C), 3)).isEqualTo(B);
    assertThat(LeaderElection.leader(List.of(C, A), 3)).isEqualTo(C);
  }

  @Test
  void leader_minorityInView_isNone() {
    assertThat(LeaderElection.leader(List.of(A), 3)).isNull();
    assertThat(LeaderElection.leader(List.of(A, B), 5)).isNull();
  }

  @Test
  void leader_singleReplica_leadsAlone() {
    assertThat(LeaderElection.leader(List.of(A), 1)).isEqualTo(A);
  }

  @Test
  void nextEpoch_isAboveKnownAndNeverBelowTheClock() {
    assertThat(LeaderElection.nextEpoch(41, 10)).isEqualTo(42);
    assertThat(LeaderElection.nextEpoch(41, 1_000)).isEqualTo(1_000);
  }

  @Test
  void refusal_minority_namesCountsAndMajority() {
    ClusterState minority = new ClusterState(A, List.of(A), 3, null, 0, null, 0);
    assertThat(minority.refusal()).contains("sees 1 of 3").contains("majority (2)");
    ClusterState follower = new ClusterState(A, List.of(B, A), 3, B, 7, null, 1);
    assertThat(follower.refusal()).contains("leader is b").contains("retry at h:4");
  }
}
