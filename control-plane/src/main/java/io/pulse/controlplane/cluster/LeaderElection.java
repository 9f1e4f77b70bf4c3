package io.pulse.controlplane.cluster;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Who leads, from a member list: the oldest member, provided the list is a majority of the configured replicas.
 * Hazelcast gives every member the same list in the same order (the master's view), so every replica on the
 * majority side names the same leader; a minority side names none.
 */
public final class LeaderElection {

  private LeaderElection() {}

  public static @Nullable ReplicaInfo leader(List<ReplicaInfo> membersOldestFirst, int configured) {
    int quorum = Math.max(1, configured) / 2 + 1;
    if (membersOldestFirst.size() < quorum) {
      return null;
    }
    return membersOldestFirst.getFirst();
  }

  /**
   * The epoch of a new term: above every epoch known anywhere, and never below the wall clock in milliseconds, so that
   * terms keep growing even when a replica lost its data directory (workers refuse commands of an older epoch).
   */
  public static long nextEpoch(long highestKnown, long nowMillis) {
    return Math.max(highestKnown + 1, nowMillis);
  }
}
