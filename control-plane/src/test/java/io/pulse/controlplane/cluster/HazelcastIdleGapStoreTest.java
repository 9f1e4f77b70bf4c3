package io.pulse.controlplane.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.pulse.common.net.HostPort;
import io.pulse.controlplane.autoscale.IdleGapStore;
import io.pulse.controlplane.autoscale.IdleGaps;
import io.pulse.controlplane.state.StateStore;
import io.pulse.controlplane.state.StoredIdleGapStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Arrays;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replicated idle gaps between two real Hazelcast members (this JVM, loopback, Pulse's member configuration): what
 * one replica's leader writes, the other reads from its own copy, whether its store was there before the write (entry
 * events) or made after it (the preload), and a deletion reaches it too; and each replica's copy on its own disk,
 * which a restart of the whole cluster reads back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HazelcastIdleGapStoreTest {

  private static final Duration CONVERGE = Duration.ofSeconds(30);

  private HazelcastInstance leader;
  private HazelcastInstance follower;

  @BeforeAll
  void startMembers() throws Exception {
    HazelcastInstance[] pair = startPair("idle-gaps-" + UUID.randomUUID());
    leader = pair[0];
    follower = pair[1];
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

  /**
   * The whole cluster stopped at once loses the map; each replica kept what it saw on its disk. Two members with their
   * own RocksDB: what the leader writes and deletes reaches the other's disk; both stop; a new cluster of one, on the
   * other's data directory, reads the gaps back (and not the deleted ones).
   */
  @Test
  void aWholeClusterRestart_findsTheGapsEachReplicaKeptOnItsDisk(@TempDir Path dirs) throws Exception {
    StateStore leaderDisk = StateStore.rocksDb(dirs.resolve("cp-0"));
    StateStore followerDisk = StateStore.rocksDb(dirs.resolve("cp-1"));
    HazelcastInstance[] pair = startPair("idle-gaps-restart-" + UUID.randomUUID());
    IdleGaps gaps = IdleGaps.of(70_000, 95_000);
    try {
      HazelcastIdleGapStore written = store(pair[0], leaderDisk);
      HazelcastIdleGapStore listening = store(pair[1], followerDisk);
      written.put("f", gaps);
      written.put("deleted", IdleGaps.of(80_000, 81_000));
      await("the other replica's copy").atMost(CONVERGE).until(() -> listening.gaps("deleted").size() == 2);
      written.remove("deleted");
      await("on the other replica's disk").atMost(CONVERGE).until(() -> {
        var onDisk = followerDisk.idleGaps();
        return onDisk.containsKey("f") && Arrays.equals(onDisk.get("f"), gaps.millis())
            && !onDisk.containsKey("deleted");
      });
    } finally {
      for (HazelcastInstance member : pair) {
        member.shutdown();
      }
      leaderDisk.close();
      followerDisk.close();
    }

    StateStore reopened = StateStore.rocksDb(dirs.resolve("cp-1"));
    int port = freePort();
    List<HostPort> alone = List.of(new HostPort("127.0.0.1", port));
    HazelcastInstance restarted = Hazelcast.newHazelcastInstance(HazelcastSetup.config(new ReplicationConfig(alone,
        alone.getFirst(), "127.0.0.1", null, 3000, "idle-gaps-after-" + UUID.randomUUID()),
        new ReplicaInfo("cp-1", "127.0.0.1:1", "127.0.0.1:2"), 0));
    try {
      HazelcastIdleGapStore after = store(restarted, reopened);
      assertThat(restarted.getMap(HazelcastSetup.IDLE_GAPS_MAP).isEmpty()).as("a new cluster's map").isTrue();
      assertThat(after.gaps("f")).isEqualTo(gaps);
      assertThat(after.gaps("deleted")).isEqualTo(IdleGaps.NONE);
    } finally {
      restarted.shutdown();
      reopened.close();
    }
  }

  private static HazelcastInstance[] startPair(String cluster) throws IOException {
    List<HostPort> members = List.of(new HostPort("127.0.0.1", freePort()), new HostPort("127.0.0.1", freePort()));
    CompletableFuture<HazelcastInstance> first = CompletableFuture.supplyAsync(() -> member(members, 0, cluster));
    CompletableFuture<HazelcastInstance> second = CompletableFuture.supplyAsync(() -> member(members, 1, cluster));
    HazelcastInstance[] pair = {first.join(), second.join()};
    await("both members in one cluster").atMost(CONVERGE).until(() -> pair[0].getCluster().getMembers().size() == 2
        && pair[1].getCluster().getMembers().size() == 2);
    return pair;
  }

  private static HazelcastIdleGapStore store(HazelcastInstance member) {
    return new HazelcastIdleGapStore(member.getMap(HazelcastSetup.IDLE_GAPS_MAP), IdleGapStore.inMemory());
  }

  private static HazelcastIdleGapStore store(HazelcastInstance member, StateStore disk) {
    return new HazelcastIdleGapStore(member.getMap(HazelcastSetup.IDLE_GAPS_MAP), new StoredIdleGapStore(disk));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
