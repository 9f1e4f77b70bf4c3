package io.pulse.controlplane.cluster;

import io.pulse.controlplane.autoscale.IdleGapStore;
import io.pulse.controlplane.registry.RegistryReplication;
import io.pulse.controlplane.state.StateStore;
import io.pulse.controlplane.state.StoredIdleGapStore;
import io.pulse.controlplane.term.ClusterView;
import io.pulse.controlplane.term.Term;
import io.pulse.controlplane.term.TermAction;
import io.pulse.controlplane.term.TermRunner;
import java.util.List;
import java.util.function.Consumer;

/**
 * A cluster of one: leader at once (no election, no Hazelcast, no waiting), in a new epoch above the one persisted in
 * the store. What {@code pulse up} and a single {@code pulse control-plane} run. Its claims go to the store alone, and
 * so do the functions' idle gaps.
 */
public final class SoloCluster implements ReplicaCluster {

  private final ClusterState state;
  private final Term term;
  private final RegistryReplication replication;
  private final IdleGapStore idleGaps;

  public SoloCluster(ReplicaInfo self, StateStore store, long nowMillis) {
    this.term = TermRunner.settle(ClusterView.of(self.id(), List.of(self.id()), 1, store.epoch()), Term.initial(),
        () -> nowMillis, proposed -> {
          store.putEpoch(proposed);
          return TermRunner.ClaimOutcome.won(proposed);
        }).step().next();
    this.state = new ClusterState(self, List.of(self), 1, self, term.epoch(), null, 0);
    this.replication = RegistryReplication.solo(term.epoch());
    this.idleGaps = new StoredIdleGapStore(store);
  }

  @Override
  public ClusterState state() {
    return state;
  }

  @Override
  public void onTerm(Consumer<List<TermAction>> listener) {
    listener.accept(term.replay());
  }

  @Override
  public RegistryReplication replication() {
    return replication;
  }

  @Override
  public IdleGapStore idleGaps() {
    return idleGaps;
  }

  @Override
  public void close() {}
}
