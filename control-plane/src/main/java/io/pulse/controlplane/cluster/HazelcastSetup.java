package io.pulse.controlplane.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.config.TcpIpConfig;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;
import io.pulse.common.net.HostPort;

/**
 * The Hazelcast member configuration of one replica, built from {@link ReplicationConfig}: TCP-IP join over the
 * explicit member list (no multicast, no auto-detection), failure detection in seconds instead of the 60 s default,
 * split-merge attempts every few seconds instead of minutes, and a majority split-brain protection on writes of every
 * Pulse map, with synchronous backups on every other replica.
 */
final class HazelcastSetup {

  static final String FUNCTIONS_MAP = "pulse-functions";
  static final String META_MAP = "pulse-meta";
  static final String WORKERS_MAP = "pulse-workers";
  /** Each function's idle gaps (see {@link HazelcastIdleGapStore}). */
  static final String IDLE_GAPS_MAP = "pulse-idle-gaps";
  /** Followers' confirmations that a registry write is on their disk (see {@link DiskAcks}). */
  static final String ACKS_MAP = "pulse-registry-acks";
  static final String REPLICA_ATTRIBUTE = "pulse.replica";
  static final String GRPC_ATTRIBUTE = "pulse.grpc";
  static final String REST_ATTRIBUTE = "pulse.rest";
  /** The highest epoch in the replica's store when it (re)started: others count it in before any claim. */
  static final String EPOCH_ATTRIBUTE = "pulse.epoch";
  private static final String MAJORITY = "pulse-majority";

  private HazelcastSetup() {}

  static Config config(ReplicationConfig replication, ReplicaInfo self, long storedEpoch) {
    Config config = new Config();
    config.setClusterName(replication.clusterName());
    config.setInstanceName("pulse-" + self.id() + "-" + Long.toHexString(System.nanoTime()));
    long detectionSeconds = Math.max(1, replication.failureDetectionMs() / 1000);
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(detectionSeconds));
    config.setProperty("hazelcast.heartbeat.failuredetector.type", "deadline");
    config.setProperty("hazelcast.master.confirmation.interval.seconds", "1");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.max.join.seconds", "60");
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "3");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "3");
    config.setProperty("hazelcast.partition.count", "31");
    config.setProperty("hazelcast.graceful.shutdown.max.wait", "5");
    config.setProperty("hazelcast.connection.monitor.interval", "100");
    config.setProperty("hazelcast.connection.monitor.max.faults", "2");
    // An operation on a partition whose owner just died is retried until a backup is promoted; the default 500 ms
    // pause made a new leader's epoch compare-and-set wait up to ~1 s after the old leader's death.
    config.setProperty("hazelcast.invocation.retry.pause.millis", "50");
    // A write waits for its synchronous backups' acknowledgements at most this long. Right after a member dies, the
    // partition table may still name it as a backup for a moment, and the default (5 s) then held the new leader's
    // epoch compare-and-set for 5 s (seen in the failover bench). A backup that does not answer within 500 ms is a
    // dead or stalled replica; the write stays on its owner (and, for registrations, on the leader's disk).
    config.setProperty("hazelcast.operation.backup.timeout.millis", "500");

    HostPort bind = replication.clusterBind();
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(bind.port()).setPortAutoIncrement(false);
    network.setPublicAddress(publicHost(replication) + ":" + bind.port());
    if (!bind.host().equals("0.0.0.0")) {
      config.setProperty("hazelcast.socket.bind.any", "false");
      network.getInterfaces().setEnabled(true).addInterface(bind.host());
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    TcpIpConfig tcp = join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2);
    replication.members().forEach(member -> tcp.addMember(member.toString()));

    config.getMemberAttributeConfig()
        .setAttribute(REPLICA_ATTRIBUTE, self.id())
        .setAttribute(GRPC_ATTRIBUTE, self.grpcAddress())
        .setAttribute(REST_ATTRIBUTE, self.restAddress())
        .setAttribute(EPOCH_ATTRIBUTE, Long.toString(storedEpoch));

    int members = replication.members().size();
    config.addSplitBrainProtectionConfig(new SplitBrainProtectionConfig(MAJORITY, true, replication.quorum())
        .setProtectOn(SplitBrainProtectionOn.WRITE));
    int backups = Math.min(6, Math.max(0, members - 1));
    for (String name : new String[] {FUNCTIONS_MAP, META_MAP, WORKERS_MAP, IDLE_GAPS_MAP}) {
      config.addMapConfig(new MapConfig(name).setBackupCount(backups).setAsyncBackupCount(0)
          .setReadBackupData(true).setSplitBrainProtectionName(MAJORITY));
    }
    // Confirmations are read only by the leader, from their owners (never a stale backup), and expire by themselves.
    config.addMapConfig(new MapConfig(ACKS_MAP).setBackupCount(backups).setAsyncBackupCount(0)
        .setReadBackupData(false).setTimeToLiveSeconds(60).setSplitBrainProtectionName(MAJORITY));
    return config;
  }

  private static String publicHost(ReplicationConfig replication) {
    String host = replication.clusterBind().host();
    return host.equals("0.0.0.0") ? replication.advertiseHost() : host;
  }
}
