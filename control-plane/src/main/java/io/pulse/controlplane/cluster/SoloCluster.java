package io.pulse.controlplane.cluster;

import io.pulse.controlplane.registry.RegistryReplication;
import io.pulse.controlplane.state.StateStore;
import java.util.List;
import java.util.function.Consumer;

/**
 * A cluster of one: leader at once (no election, no Hazelcast, no waiting), in a new epoch above the one persisted in
 * the store. What {@code pulse up} and a single {@code pulse control-plane} run.
 */
public final class SoloCluster implements ReplicaCluster {

  private final ClusterState state;
  private final RegistryReplication replication;

  public SoloCluster(ReplicaInfo self, StateStore store, long nowMillis) {
    long epoch = LeaderElection.nextEpoch(store.epoch(), nowMillis);
    store.putEpoch(epoch);
    this.state = new ClusterState(self, List.of(self), 1, self, epoch, null, 0);
    this.replication = RegistryReplication.solo(epoch);
  }

  @Override
  public ClusterState state() {
    return state;
  }

  @Override
  public void onChange(Consumer<ClusterState> listener) {
    listener.accept(state);
  }

  @Override
  public RegistryReplication replication() {
    return replication;
  }

  @Override
  public void close() {}
}
