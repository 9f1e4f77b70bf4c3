package io.pulse.k8sbridge.reconcile;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Taint;
import io.pulse.k8sbridge.resources.MirrorConfig;
import io.pulse.k8sbridge.resources.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Nodes: our labels and taint; the status (capacity, addresses, a Ready heartbeat kept fresher than the limit). */
final class NodeMirror implements Mirror<Node> {

  private final Duration heartbeatAfter;

  NodeMirror(MirrorConfig config) {
    this.heartbeatAfter = config.nodeHeartbeatAfter();
  }

  @Override
  public ObjectKind kind() {
    return ObjectKind.NODE;
  }

  @Override
  public boolean specMatches(Node desired, Node actual, Instant now) {
    return Meta.metadataMatches(desired, actual) && taintKeys(actual).containsAll(taintKeys(desired));
  }

  @Override
  public boolean hasStatus() {
    return true;
  }

  @Override
  public boolean statusMatches(Node desired, Node actual, Instant now) {
    NodeStatus want = desired.getStatus();
    NodeStatus have = actual.getStatus();
    if (have == null) {
      return false;
    }
    Optional<NodeCondition> ready = ready(have);
    return Meta.sameQuantities(want.getCapacity(), have.getCapacity())
        && Meta.sameQuantities(want.getAllocatable(), have.getAllocatable())
        && Objects.equals(want.getAddresses(), have.getAddresses())
        && ready.isPresent() && "True".equals(ready.get().getStatus())
        && Times.parse(ready.get().getLastHeartbeatTime())
            .map(beat -> Duration.between(beat, now).compareTo(heartbeatAfter) < 0).orElse(false);
  }

  @Override
  public Node merged(Node desired, Node actual) {
    List<Taint> taints = new ArrayList<>();
    Set<String> ours = taintKeys(desired);
    if (actual.getSpec() != null && actual.getSpec().getTaints() != null) {
      actual.getSpec().getTaints().stream().filter(t -> !ours.contains(key(t))).forEach(taints::add);
    }
    taints.addAll(desired.getSpec().getTaints());
    NodeStatus status = desired.getStatus();
    Optional<NodeCondition> wasReady = actual.getStatus() == null ? Optional.empty() : ready(actual.getStatus());
    if (wasReady.isPresent() && "True".equals(wasReady.get().getStatus())) {
      // Still Ready: the transition time stays the first one.
      status = new io.fabric8.kubernetes.api.model.NodeStatusBuilder(status)
          .editMatchingCondition(c -> "Ready".equals(c.getType()))
            .withLastTransitionTime(wasReady.get().getLastTransitionTime())
          .endCondition()
          .build();
    }
    return new NodeBuilder(actual)
        .withMetadata(Meta.merged(desired, actual))
        .editOrNewSpec().withTaints(taints).endSpec()
        .withStatus(status)
        .build();
  }

  private static Optional<NodeCondition> ready(NodeStatus status) {
    return status.getConditions() == null ? Optional.empty()
        : status.getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst();
  }

  private static Set<String> taintKeys(Node node) {
    return node.getSpec() == null || node.getSpec().getTaints() == null ? Set.of()
        : node.getSpec().getTaints().stream().map(NodeMirror::key).collect(Collectors.toSet());
  }

  private static String key(Taint taint) {
    return taint.getKey() + "=" + taint.getValue() + ":" + taint.getEffect();
  }
}
