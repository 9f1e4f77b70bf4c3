package io.pulse.controlplane.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.pulse.common.net.HostPort;
import io.pulse.controlplane.autoscale.IdleGaps;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The replicated idle gaps between two real Hazelcast members (this JVM, loopback, Pulse's member configuration): what
 * one replica's leader writes, the other reads from its own copy, whether its store was there before the write (entry
 * events) or made after it (the preload), and a deletion reaches it too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HazelcastIdleGapStoreTest {

  private static final Duration CONVERGE = Duration.ofSeconds(30);

  private HazelcastInstance leader;
  private HazelcastInstance follower;

  @BeforeAll
  void startMembers() throws Exception {
    int[] ports = {freePort(), freePort()};
    List<HostPort> members = List.of(new HostPort("127.0.0.1", ports[0]), new HostPort("127.0.0.1", ports[1]));
    String cluster = "idle-gaps-" + UUID.randomUUID();
    CompletableFuture<HazelcastInstance> first = CompletableFuture.supplyAsync(() -> member(members, 0, cluster));
    CompletableFuture<HazelcastInstance> second = CompletableFuture.supplyAsync(() -> member(members, 1, cluster));
    leader = first.join();
    follower = second.join();
    await("both members in one cluster").atMost(CONVERGE)
        .until(() -> leader.getCluster().getMembers().size() == 2 && follower.getCluster().getMembers().size() == 2);
  }

  private static HazelcastInstance member(List<HostPort> members, int index, String cluster) {
    ReplicationConfig replication = new ReplicationConfig(members, members.get(index), "127.0.0.1", null, 3000,
        cluster);
    return Hazelcast.newHazelcastInstance(HazelcastSetup.config(replication,
        new ReplicaInfo("cp-" + index, "127.0.0.1:1", "127.0.0.1:2"), 0));
  }

  @AfterAll
  void stopMembers() {
    for (HazelcastInstance member : new HazelcastInstance[] {follower, leader}) {
      if (member != null) {
        member.shutdown();
      }
    }
  }

  @Test
  void gapsWrittenOnOneReplica_areReadOnTheOther_beforeAndAfterItsStoreExists_andGoWithADeletion() {
    HazelcastIdleGapStore written = store(leader);
    HazelcastIdleGapStore listening = store(follower);
    IdleGaps gaps = IdleGaps.of(90_000, 110_000);

    written.put("f", gaps);
    assertThat(written.gaps("f")).as("the writer's own copy, at once").isEqualTo(gaps);
    await("the other replica's copy").atMost(CONVERGE).until(() -> listening.gaps("f").equals(gaps));

    HazelcastIdleGapStore later = store(follower); // a replica that starts after the write: its preload
    await("a store made after the write").atMost(CONVERGE).until(() -> later.gaps("f").equals(gaps));

    IdleGaps more = gaps.record(140_000);
    written.put("f", more);
    await("an update").atMost(CONVERGE).until(() -> listening.gaps("f").equals(more)
        && later.gaps("f").equals(more));

    written.remove("f");
    assertThat(written.gaps("f")).isEqualTo(IdleGaps.NONE);
    await("a deletion").atMost(CONVERGE).until(() -> listening.gaps("f").equals(IdleGaps.NONE)
        && later.gaps("f").equals(IdleGaps.NONE));
    assertThat(listening.gaps("never-written")).isEqualTo(IdleGaps.NONE);
  }

  private static HazelcastIdleGapStore store(HazelcastInstance member) {
    return new HazelcastIdleGapStore(member.getMap(HazelcastSetup.IDLE_GAPS_MAP));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
