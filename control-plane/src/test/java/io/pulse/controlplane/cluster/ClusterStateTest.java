package io.pulse.controlplane.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterStateTest {

  private static final ReplicaInfo A = new ReplicaInfo("a", "h:1", "h:2");
  private static final ReplicaInfo B = new ReplicaInfo("b", "h:3", "h:4");

  @Test
  void refusal_minority_namesCountsAndMajority() {
    ClusterState minority = new ClusterState(A, List.of(A), 3, null, 0, null, 0);
    assertThat(minority.refusal()).contains("sees 1 of 3").contains("majority (2)");
    ClusterState follower = new ClusterState(A, List.of(B, A), 3, B, 7, null, 1);
    assertThat(follower.refusal()).contains("leader is b").contains("retry at h:4");
  }
}
