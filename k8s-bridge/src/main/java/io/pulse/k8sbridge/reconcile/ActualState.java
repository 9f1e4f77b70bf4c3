package io.pulse.k8sbridge.reconcile;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Map;

/**
 * What the API server holds of ours (selected by the ownership label), plus the topology labels of the physical
 * hosts' own Nodes (per lower-case host name), which the desired Nodes copy.
 */
public record ActualState(List<Node> nodes, List<Lease> leases, List<Pod> pods, List<Service> services,
    List<EndpointSlice> slices, Map<String, Map<String, String>> hostTopology) {

  public static final ActualState EMPTY = new ActualState(List.of(), List.of(), List.of(), List.of(), List.of(),
      Map.of());

  public ActualState {
    nodes = List.copyOf(nodes);
    leases = List.copyOf(leases);
    pods = List.copyOf(pods);
    services = List.copyOf(services);
    slices = List.copyOf(slices);
    hostTopology = Map.copyOf(hostTopology);
  }
}
