package io.pulse.k8sbridge.reconcile;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pulse.k8sbridge.resources.Labels;
import io.pulse.k8sbridge.resources.MirrorConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the actual state: every object of ours by the ownership label (Pods, Services, EndpointSlices in the bridge's
 * namespace, Leases in {@code kube-node-lease}, Nodes), and the topology labels of the other Nodes by host name.
 * Blocking; runs on the reconcile loop's thread.
 */
public final class ClusterReader {

  private static final List<String> TOPOLOGY = List.of(Labels.ZONE, Labels.REGION);

  private final KubernetesClient client;
  private final MirrorConfig config;

  public ClusterReader(KubernetesClient client, MirrorConfig config) {
    this.client = client;
    this.config = config;
  }

  public ActualState read() {
    String owner = config.owner();
    List<Node> ours = new ArrayList<>();
    Map<String, Map<String, String>> topology = new HashMap<>();
    for (Node node : client.nodes().list().getItems()) {
      if (Labels.ownedBy(node, owner)) {
        ours.add(node);
      } else {
        hostTopology(node, topology);
      }
    }
    String ns = config.namespace();
    return new ActualState(ours,
        client.leases().inNamespace(MirrorConfig.LEASE_NAMESPACE).withLabel(Labels.MANAGED_BY, owner).list()
            .getItems(),
        client.pods().inNamespace(ns).withLabel(Labels.MANAGED_BY, owner).list().getItems(),
        client.services().inNamespace(ns).withLabel(Labels.MANAGED_BY, owner).list().getItems(),
        client.discovery().v1().endpointSlices().inNamespace(ns).withLabel(Labels.MANAGED_BY, owner).list()
            .getItems(),
        topology);
  }

  private static void hostTopology(Node node, Map<String, Map<String, String>> topology) {
    Map<String, String> labels = node.getMetadata().getLabels();
    if (labels == null) {
      return;
    }
    String host = labels.getOrDefault(Labels.HOSTNAME, node.getMetadata().getName());
    Map<String, String> copied = new LinkedHashMap<>();
    TOPOLOGY.forEach(key -> {
      if (labels.containsKey(key)) {
        copied.put(key, labels.get(key));
      }
    });
    if (!copied.isEmpty()) {
      topology.put(host.toLowerCase(Locale.ROOT), copied);
    }
  }
}
