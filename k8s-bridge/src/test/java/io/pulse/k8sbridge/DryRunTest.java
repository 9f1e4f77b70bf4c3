package io.pulse.k8sbridge;

import static io.pulse.k8sbridge.FakeControlPlane.function;
import static io.pulse.k8sbridge.FakeControlPlane.instance;
import static io.pulse.k8sbridge.FakeControlPlane.worker;
import static io.pulse.api.v1.InstanceKind.REGULAR;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.api.v1.LeaderInfo;
import io.pulse.k8sbridge.view.ClusterView;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code --dry-run}'s snapshot comes through the bridge's one route client: from the leader GetLeader names. */
class DryRunTest {

  private final FakeControlPlane follower = new FakeControlPlane();
  private final FakeControlPlane leader = new FakeControlPlane();

  @AfterEach
  void close() {
    follower.close();
    leader.close();
  }

  @Test
  void snapshot_isTheLeadersView_whicheverSeedIsGivenFirst() {
    follower.setWorkers(worker("w-old", "host-old", "10.0.0.9"));
    leader.setWorkers(worker("w1", "host-a", "10.0.0.1"));
    leader.putFunction(function("alpha", instance("alpha-3-a", "w1", "10.0.0.1", 20001, REGULAR)));
    LeaderInfo info = LeaderInfo.newBuilder().setKnown(true).setLeaderId("cp-2")
        .setGrpcAddress(leader.address().toString()).build();
    follower.answerLeader(info);
    leader.answerLeader(info);

    ClusterView view = DryRun.snapshot(List.of(follower.address(), leader.address()), "dry", Duration.ofSeconds(30));

    assertThat(view.workers()).containsOnlyKeys("w1");
    assertThat(view.functions()).containsOnlyKeys("alpha");
  }
}
