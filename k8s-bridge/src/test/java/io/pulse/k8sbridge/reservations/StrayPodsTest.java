package io.pulse.k8sbridge.reservations;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.pulse.k8sbridge.resources.Labels;
import java.util.List;
import org.junit.jupiter.api.Test;

class StrayPodsTest {

  private static final String OWNER = "pulse-k8s-bridge";

  @Test
  void find_onlyOthersPodsBoundToOurNodes() {
    List<Node> nodes = List.of(
        new NodeBuilder().withNewMetadata().withName("pulse-w1").addToLabels(Labels.MANAGED_BY, OWNER).endMetadata()
            .build(),
        new NodeBuilder().withNewMetadata().withName("node-a").endMetadata().build());
    Pod pinned = pod("cache-0", "pulse-w1", false);
    List<Pod> pods = List.of(pinned, pod("alpha-1-a", "pulse-w1", true), pod("db-0", "node-a", false),
        new PodBuilder().withNewMetadata().withName("pending").withNamespace("baas").endMetadata().withNewSpec()
            .endSpec().build());

    assertThat(StrayPods.find(nodes, pods, OWNER))
        .containsExactly(new StrayPods.Stray("baas", "cache-0", "uid-cache-0", "pulse-w1"));
  }

  private static Pod pod(String name, String node, boolean ours) {
    PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).withNamespace("baas").withUid("uid-" + name)
        .endMetadata().withNewSpec().withNodeName(node).endSpec();
    if (ours) {
      pod.editMetadata().addToLabels(Labels.MANAGED_BY, OWNER).endMetadata();
    }
    return pod.build();
  }
}
