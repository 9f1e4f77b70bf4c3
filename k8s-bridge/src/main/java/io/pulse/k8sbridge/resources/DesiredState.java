package io.pulse.k8sbridge.resources;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.pulse.k8sbridge.view.ClusterView;
import io.pulse.k8sbridge.view.FunctionView;
import io.pulse.k8sbridge.view.InstanceView;
import io.pulse.k8sbridge.view.WorkerView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything the cluster should hold for one {@link ClusterView}: one Node and one Lease per worker, one Pod per ready
 * Regular Instance whose worker is live (an instance on an unknown worker has no Node to bind to and waits for the
 * next view), one Service and EndpointSlice per function. Sorted by name so that output is stable.
 */
public record DesiredState(List<Node> nodes, List<Lease> leases, List<Pod> pods, List<Service> services,
    List<EndpointSlice> slices) {

  public DesiredState {
    nodes = List.copyOf(nodes);
    leases = List.copyOf(leases);
    pods = List.copyOf(pods);
    services = List.copyOf(services);
    slices = List.copyOf(slices);
  }

  /**
   * @param hostTopology per physical host name (lower case), the topology labels of its own Node in the cluster
   */
  public static DesiredState of(ClusterView view, Map<String, Map<String, String>> hostTopology, MirrorConfig config,
      Instant now) {
    List<Node> nodes = new ArrayList<>();
    List<Lease> leases = new ArrayList<>();
    for (WorkerView worker : sorted(view.workers().values(), WorkerView::workerId)) {
      nodes.add(NodeResource.make(worker, hostTopology.getOrDefault(worker.hostname().toLowerCase(Locale.ROOT),
          Map.of()), config, now));
      leases.add(LeaseResource.make(worker, config, now));
    }
    List<Pod> pods = new ArrayList<>();
    List<Service> services = new ArrayList<>();
    List<EndpointSlice> slices = new ArrayList<>();
    for (FunctionView function : sorted(view.functions().values(), FunctionView::name)) {
      services.add(ServiceResource.make(function, config));
      EndpointSliceResource.make(function, config).ifPresent(slices::add);
      for (InstanceView instance : sorted(function.instances(), InstanceView::instanceId)) {
        WorkerView worker = view.workers().get(instance.workerId());
        if (worker != null) {
          pods.add(PodResource.make(instance, function, worker, config, now));
        }
      }
    }
    return new DesiredState(nodes, leases, pods, services, slices);
  }

  private static <T> List<T> sorted(java.util.Collection<T> items, java.util.function.Function<T, String> key) {
    return items.stream().sorted(Comparator.comparing(key)).toList();
  }
}
