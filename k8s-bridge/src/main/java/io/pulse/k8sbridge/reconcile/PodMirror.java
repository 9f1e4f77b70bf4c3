package io.pulse.k8sbridge.reconcile;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Pods: labels and annotations update in place; node, image, port and requests cannot (a Pod's spec is immutable),
 * so a difference there recreates the Pod. The status (Running, Ready, the instance's IP) is the bridge's to write.
 */
final class PodMirror implements Mirror<Pod> {

  @Override
  public ObjectKind kind() {
    return ObjectKind.POD;
  }

  @Override
  public boolean specMatches(Pod desired, Pod actual, Instant now) {
    return Meta.metadataMatches(desired, actual) && !mustRecreate(desired, actual);
  }

  @Override
  public boolean mustRecreate(Pod desired, Pod actual) {
    if (actual.getSpec() == null || actual.getSpec().getContainers() == null
        || actual.getSpec().getContainers().isEmpty()) {
      return true;
    }
    Container want = desired.getSpec().getContainers().getFirst();
    Container have = actual.getSpec().getContainers().getFirst();
    return !Objects.equals(desired.getSpec().getNodeName(), actual.getSpec().getNodeName())
        || !Objects.equals(want.getImage(), have.getImage())
        || !Objects.equals(ports(want), ports(have))
        || have.getResources() == null
        || !Meta.sameQuantities(want.getResources().getRequests(), have.getResources().getRequests());
  }

  @Override
  public boolean hasStatus() {
    return true;
  }

  @Override
  public boolean statusMatches(Pod desired, Pod actual, Instant now) {
    PodStatus want = desired.getStatus();
    PodStatus have = actual.getStatus();
    return have != null
        && Objects.equals(want.getPhase(), have.getPhase())
        && Objects.equals(want.getPodIP(), have.getPodIP())
        && Objects.equals(want.getHostIP(), have.getHostIP())
        && have.getConditions() != null
        && have.getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  @Override
  public Pod merged(Pod desired, Pod actual) {
    PodStatus status = desired.getStatus();
    if (actual.getStatus() != null && actual.getStatus().getStartTime() != null) {
      status = new PodStatusBuilder(status).withStartTime(actual.getStatus().getStartTime()).build();
    }
    return new PodBuilder(actual)
        .withMetadata(Meta.merged(desired, actual))
        .withStatus(status)
        .build();
  }

  private static List<Integer> ports(Container container) {
    return container.getPorts() == null ? List.of()
        : container.getPorts().stream().map(p -> p.getContainerPort()).toList();
  }
}
