package io.pulse.k8sbridge.reservations;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.pulse.k8sbridge.resources.Labels;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostReservationCalculatorTest {

  private static final String OWNER = "pulse-k8s-bridge";
  private static final List<Node> NODES = List.of(node("node-a", "host-a"), node("node-b", "HOST-B.example.com"),
      new NodeBuilder().withNewMetadata().withName("pulse-w1").addToLabels(Labels.MANAGED_BY, OWNER)
          .addToLabels(Labels.HOSTNAME, "host-a").endMetadata().build());

  @Test
  void compute_sumsNonPulsePodsPerWorkerHost() {
    List<Pod> pods = List.of(pod("db", "node-a", "500m", "1Gi", "Running"), pod("cache", "node-a", "250m", "256Mi",
        "Running"), pod("job", "node-a", "4", "4Gi", "Succeeded"), pod("web", "node-b", "1", "100M", "Running"));
    assertThat(HostReservationCalculator.compute(List.of("host-a", "host-b", "host-c"), NODES, pods, OWNER))
        .containsExactly(new HostReservation("host-a", 750, 1280), new HostReservation("host-b", 1000, 96),
            new HostReservation("host-c", 0, 0));
  }

  @Test
  void compute_ignoresOurPodsAndPodsOnOurNodes() {
    Pod ours = new PodBuilder(pod("alpha-1", "node-a", "1", "1Gi", "Running")).editMetadata()
        .addToLabels(Labels.MANAGED_BY, OWNER).endMetadata().build();
    Pod onOurNode = pod("x", "pulse-w1", "1", "1Gi", "Running");
    assertThat(HostReservationCalculator.compute(List.of("host-a"), NODES, List.of(ours, onOurNode), OWNER))
        .containsExactly(new HostReservation("host-a", 0, 0));
  }

  @Test
  void compute_initContainerLargerThanContainers_counts() {
    Pod pod = new PodBuilder(pod("p", "node-a", "100m", "64Mi", "Pending")).editSpec().addNewInitContainer()
        .withName("init").withNewResources().addToRequests("cpu", new Quantity("2")).endResources()
        .endInitContainer().endSpec().build();
    assertThat(HostReservationCalculator.compute(List.of("host-a"), NODES, List.of(pod), OWNER))
        .containsExactly(new HostReservation("host-a", 2000, 64));
  }

  private static Node node(String name, String host) {
    return new NodeBuilder().withNewMetadata().withName(name).addToLabels(Labels.HOSTNAME, host).endMetadata()
        .build();
  }

  private static Pod pod(String name, String node, String cpu, String memory, String phase) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace("baas").endMetadata()
        .withNewSpec().withNodeName(node).addNewContainer().withName("c").withNewResources()
          .addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity(memory)).endResources()
        .endContainer().endSpec()
        .withNewStatus().withPhase(phase).endStatus().build();
  }
}
