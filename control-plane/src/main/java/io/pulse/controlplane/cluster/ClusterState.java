package io.pulse.controlplane.cluster;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The cluster as this replica sees it at one moment; published whole by reference.
 *
 * @param self this replica
 * @param members replicas in view, oldest first
 * @param configured how many replicas the cluster is configured with
 * @param leader the elected leader, null while there is none (no majority in view, or a term is starting)
 * @param epoch the leader term's fencing epoch (0 while unknown)
 * @param lastFailoverMillis time this replica took, the last time it took over, from noticing the old leader gone to
 *     leading; null if it never took over
 * @param leaderChanges how often this replica saw the leader change
 */
public record ClusterState(ReplicaInfo self, List<ReplicaInfo> members, int configured, @Nullable ReplicaInfo leader,
    long epoch, @Nullable Long lastFailoverMillis, long leaderChanges) {

  public ClusterState {
    members = List.copyOf(members);
  }

  public boolean isLeader() {
    return leader != null && leader.id().equals(self.id());
  }

  public boolean hasQuorum() {
    return members.size() >= quorum();
  }

  /** Replicas that make a majority of the configured cluster. */
  public int quorum() {
    return Math.max(1, configured) / 2 + 1;
  }

  /** Why this replica refuses a write, naming where to retry; for followers and minorities. */
  public String refusal() {
    if (leader != null) {
      return "replica " + self.id() + " is not the leader; the leader is " + leader.id() + ", retry at "
          + leader.restAddress();
    }
    if (!hasQuorum()) {
      return "no leader: replica " + self.id() + " sees " + members.size() + " of " + configured
          + " replicas and a majority (" + (configured / 2 + 1) + ") is needed; retry later or on another replica";
    }
    return "no leader yet: an election is under way; retry in a second";
  }
}
