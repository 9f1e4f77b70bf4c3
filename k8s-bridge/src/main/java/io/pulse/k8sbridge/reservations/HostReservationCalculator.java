package io.pulse.k8sbridge.reservations;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.pulse.k8sbridge.resources.Labels;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Sums, per physical host that runs a Pulse worker, the effective requests of the pods bound there that are not ours
 * and have not terminated. A pod's effective request is what the scheduler counts: the larger of the sum of its
 * containers and its largest init container, plus its overhead. Hosts match by {@code kubernetes.io/hostname} (else
 * the node name), case-insensitively, and by short name when one side is fully qualified. Every worker host is
 * reported, with zero when nothing is reserved, so that the control plane forgets old reservations.
 */
public final class HostReservationCalculator {

  private static final BigDecimal MILLIS = BigDecimal.valueOf(1000);
  private static final BigDecimal MIB = BigDecimal.valueOf(1024L * 1024L);

  private HostReservationCalculator() {}

  public static List<HostReservation> compute(Collection<String> workerHosts, List<Node> nodes, List<Pod> pods,
      String owner) {
    Map<String, String> nodeHost = new HashMap<>();
    for (Node node : nodes) {
      if (Labels.ownedBy(node, owner)) {
        continue; // a Pulse node: our own pods there are instances, already counted by the control plane
      }
      Map<String, String> labels = node.getMetadata().getLabels();
      String host = labels != null && labels.containsKey(Labels.HOSTNAME) ? labels.get(Labels.HOSTNAME)
          : node.getMetadata().getName();
      nodeHost.put(node.getMetadata().getName(), host);
    }
    Map<String, long[]> sums = new HashMap<>();
    for (Pod pod : pods) {
      if (Labels.ownedBy(pod, owner) || pod.getSpec() == null || pod.getSpec().getNodeName() == null
          || terminated(pod)) {
        continue;
      }
      String host = nodeHost.get(pod.getSpec().getNodeName());
      if (host == null) {
        continue;
      }
      long[] sum = sums.computeIfAbsent(key(host), k -> new long[2]);
      sum[0] += request(pod, "cpu").multiply(MILLIS).setScale(0, RoundingMode.CEILING).longValueExact();
      sum[1] += request(pod, "memory").divide(MIB, 0, RoundingMode.CEILING).longValueExact();
    }
    return workerHosts.stream().distinct().sorted().map(host -> {
      long[] sum = sums.getOrDefault(key(host), new long[2]);
      return new HostReservation(host, clamp(sum[0]), clamp(sum[1]));
    }).toList();
  }

  private static boolean terminated(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  /** Effective request of one resource, in cores or bytes. */
  private static BigDecimal request(Pod pod, String resource) {
    BigDecimal containers = BigDecimal.ZERO;
    for (Container c : pod.getSpec().getContainers()) {
      containers = containers.add(amount(c, resource));
    }
    BigDecimal init = BigDecimal.ZERO;
    if (pod.getSpec().getInitContainers() != null) {
      for (Container c : pod.getSpec().getInitContainers()) {
        init = init.max(amount(c, resource));
      }
    }
    BigDecimal total = containers.max(init);
    Map<String, Quantity> overhead = pod.getSpec().getOverhead();
    if (overhead != null && overhead.containsKey(resource)) {
      total = total.add(Quantity.getAmountInBytes(overhead.get(resource)));
    }
    return total;
  }

  private static BigDecimal amount(Container container, String resource) {
    @Nullable Map<String, Quantity> requests = container.getResources() == null ? null
        : container.getResources().getRequests();
    if (requests == null || !requests.containsKey(resource)) {
      return BigDecimal.ZERO;
    }
    return Quantity.getAmountInBytes(requests.get(resource));
  }

  /** Host names compare case-insensitively and by their first label. */
  private static String key(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    int dot = lower.indexOf('.');
    return dot > 0 && !Character.isDigit(lower.charAt(0)) ? lower.substring(0, dot) : lower;
  }

  private static int clamp(long value) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(0, value));
  }
}
