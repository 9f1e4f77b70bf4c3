package io.pulse.controlplane.cluster;

import io.pulse.common.net.HostPort;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How one replica takes part in the replicated control plane.
 *
 * @param members every replica's cluster (Hazelcast) address, this one's included; one entry or none = a single
 *     replica, which runs without Hazelcast
 * @param clusterBind this replica's cluster address (must be one of {@code members} when there are several)
 * @param advertiseHost host other components use to reach this replica's REST and gRPC ports
 * @param dataDir where the RocksDB state store lives; null = in memory (nothing survives a restart)
 * @param failureDetectionMs a replica silent this long is removed from the cluster
 * @param clusterName replicas join only a cluster of the same name
 */
public record ReplicationConfig(List<HostPort> members, HostPort clusterBind, String advertiseHost,
    @Nullable Path dataDir, long failureDetectionMs, String clusterName) {

  public ReplicationConfig {
    members = List.copyOf(members);
    if (members.size() > 1 && !members.contains(clusterBind)) {
      throw new IllegalArgumentException("members must contain this replica's cluster address " + clusterBind
          + ", was " + members);
    }
    if (advertiseHost.isBlank()) {
      throw new IllegalArgumentException("advertiseHost must not be empty");
    }
    if (failureDetectionMs < 1000) {
      throw new IllegalArgumentException("failureDetectionMs must be >= 1000, was " + failureDetectionMs);
    }
    if (clusterName.isBlank()) {
      throw new IllegalArgumentException("clusterName must not be empty");
    }
  }

  /** One replica with nothing on disk: the walking skeleton's behaviour. */
  public static ReplicationConfig single() {
    return new ReplicationConfig(List.of(), new HostPort("127.0.0.1", 5701), "127.0.0.1", null, 3000, "pulse");
  }

  public boolean replicated() {
    return members.size() > 1;
  }

  /** Replicas that make a majority: writes and leadership need this many members in view. */
  public int quorum() {
    return Math.max(1, members.size()) / 2 + 1;
  }

  public ReplicationConfig withDataDir(@Nullable Path value) {
    return new ReplicationConfig(members, clusterBind, advertiseHost, value, failureDetectionMs, clusterName);
  }

  public ReplicationConfig withAdvertiseHost(String value) {
    return new ReplicationConfig(members, clusterBind, value, dataDir, failureDetectionMs, clusterName);
  }
}
