package io.pulse.controlplane.term;

import java.util.List;

/**
 * What one replica sees of the cluster at one evaluation.
 *
 * @param self this replica's id
 * @param members the replica ids in view, oldest first (Hazelcast gives every member the master's list and order)
 * @param configured how many replicas the cluster is configured with
 * @param highestEpoch the highest epoch this replica knows of (its store, the cluster's epoch record)
 * @param claimed the epoch this replica has just won by a claim in this evaluation, 0 if none
 */
public record ClusterView(String self, List<String> members, int configured, long highestEpoch, long claimed) {

  public ClusterView {
    members = List.copyOf(members);
  }

  public static ClusterView of(String self, List<String> members, int configured, long highestEpoch) {
    return new ClusterView(self, members, configured, highestEpoch, 0);
  }

  /** How many replicas make a majority of the configured ones. */
  public int majority() {
    return Math.max(1, configured) / 2 + 1;
  }

  ClusterView after(TermRunner.ClaimOutcome outcome, long proposed) {
    return new ClusterView(self, members, configured, Math.max(highestEpoch, outcome.highest()),
        outcome.won() ? proposed : 0);
  }
}
