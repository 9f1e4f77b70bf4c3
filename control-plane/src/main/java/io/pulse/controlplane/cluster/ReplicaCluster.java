package io.pulse.controlplane.cluster;

import io.pulse.controlplane.registry.RegistryReplication;
import java.util.function.Consumer;

/** This replica's membership in the control-plane cluster: the state it sees, and the registry's replication. */
public interface ReplicaCluster extends AutoCloseable {

  ClusterState state();

  /** Called (on a cluster thread) with every new state, in order. */
  void onChange(Consumer<ClusterState> listener);

  RegistryReplication replication();

  /** The workers earlier leaders knew, for a new leader's sweep; none by default (a lone replica). */
  default WorkerDirectory workers() {
    return WorkerDirectory.NONE;
  }

  @Override
  void close();
}
