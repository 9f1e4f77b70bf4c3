package io.pulse.controlplane.cluster;

import io.pulse.controlplane.autoscale.IdleGapStore;
import io.pulse.controlplane.registry.RegistryReplication;
import io.pulse.controlplane.term.TermAction;
import java.util.List;
import java.util.function.Consumer;

/**
 * This replica's membership in the control-plane cluster: the state it sees, the term actions its machine decides,
 * and the registry's replication.
 */
public interface ReplicaCluster extends AutoCloseable {

  ClusterState state();

  /**
   * Called (on a cluster thread, in order) with the actions of every term step that has any, after {@link #state()}
   * shows its result; first with {@link io.pulse.controlplane.term.Term#replay()} of the term as it stands.
   */
  void onTerm(Consumer<List<TermAction>> listener);

  RegistryReplication replication();

  /** Where the leader keeps the functions' idle gaps for the leaders after it. */
  IdleGapStore idleGaps();

  /** The workers earlier leaders knew, for a new leader's sweep; none by default (a lone replica). */
  default WorkerDirectory workers() {
    return WorkerDirectory.NONE;
  }

  @Override
  void close();
}
