package io.pulse.k8sbridge.reservations;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.pulse.k8sbridge.resources.Labels;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Pods someone else bound to one of the bridge's virtual Nodes. Nothing runs them (there is no kubelet) and they are
 * not host reservations: deploy/k8s/admission-policy.yaml refuses them at admission; this finds those that got in
 * anyway (the policy not installed, or older than the pod), so that the bridge can say so.
 */
public final class StrayPods {

  /** One such pod. */
  public record Stray(String namespace, String name, String uid, String node) {}

  private StrayPods() {}

  public static List<Stray> find(List<Node> nodes, List<Pod> pods, String owner) {
    Set<String> ours = nodes.stream().filter(n -> Labels.ownedBy(n, owner)).map(n -> n.getMetadata().getName())
        .collect(Collectors.toSet());
    return pods.stream()
        .filter(p -> !Labels.ownedBy(p, owner) && p.getSpec() != null && ours.contains(p.getSpec().getNodeName()))
        .map(p -> new Stray(p.getMetadata().getNamespace(), p.getMetadata().getName(),
            String.valueOf(p.getMetadata().getUid()), p.getSpec().getNodeName()))
        .toList();
  }
}
