package io.pulse.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.controlplane.cluster.ClusterState;
import io.pulse.controlplane.cluster.ReplicaInfo;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class WriteRouteTest {

  private static final ReplicaInfo CP1 = new ReplicaInfo("cp-1", "h:1", "h:91");
  private static final ReplicaInfo CP2 = new ReplicaInfo("cp-2", "h:2", "h:92");
  private static final ReplicaInfo CP3 = new ReplicaInfo("cp-3", "h:3", "h:93");

  private static ClusterState seenBy(ReplicaInfo self, @Nullable ReplicaInfo leader, ReplicaInfo... members) {
    return new ClusterState(self, List.of(members), 3, leader, 7, null, 0);
  }

  @Test
  void aWriteOnAFollower_goesToTheLeader_readsAndTheLeadersOwnWritesStay() {
    ClusterState follower = seenBy(CP2, CP1, CP1, CP2, CP3);

    assertThat(WriteRoute.of(HttpMethod.POST, null, follower, true)).isEqualTo(new WriteRoute.Forward("cp-1", "h:91"));
    assertThat(WriteRoute.of(HttpMethod.DELETE, null, follower, true)).isInstanceOf(WriteRoute.Forward.class);
    assertThat(WriteRoute.of(HttpMethod.GET, null, follower, true)).isEqualTo(WriteRoute.LOCAL);
    assertThat(WriteRoute.of(HttpMethod.POST, null, seenBy(CP1, CP1, CP1, CP2, CP3), true))
        .isEqualTo(WriteRoute.LOCAL);
    assertThat(WriteRoute.of(HttpMethod.POST, null, follower, false)).as("not forwarding (one replica, or TLS)")
        .isEqualTo(WriteRoute.LOCAL);
  }

  @Test
  void aForwardedWrite_reachingAReplicaThatDoesNotLead_isRefused_neverForwardedAgain() {
    WriteRoute route = WriteRoute.of(HttpMethod.PUT, "cp-3", seenBy(CP2, CP1, CP1, CP2, CP3), true);

    assertThat(route).isInstanceOfSatisfying(WriteRoute.Refuse.class,
        r -> assertThat(r.message()).contains("cp-3 forwarded").contains("cp-2"));
  }

  @Test
  void noLeader_isAClearRefusal() {
    WriteRoute route = WriteRoute.of(HttpMethod.POST, null, seenBy(CP2, null, CP2), true);

    assertThat(route).isInstanceOfSatisfying(WriteRoute.Refuse.class,
        r -> assertThat(r.message()).contains("no leader").contains("sees 1 of 3"));
  }
}
