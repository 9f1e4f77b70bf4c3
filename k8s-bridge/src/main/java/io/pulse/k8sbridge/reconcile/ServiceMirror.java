package io.pulse.k8sbridge.reconcile;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Services: type, ports and no selector are ours; the cluster IP and other defaults belong to the API server. */
final class ServiceMirror implements Mirror<Service> {

  @Override
  public ObjectKind kind() {
    return ObjectKind.SERVICE;
  }

  @Override
  public boolean specMatches(Service desired, Service actual, Instant now) {
    return Meta.metadataMatches(desired, actual) && actual.getSpec() != null
        && Objects.equals(desired.getSpec().getType(), actual.getSpec().getType())
        && Objects.equals(ports(desired), ports(actual))
        && (actual.getSpec().getSelector() == null || actual.getSpec().getSelector().isEmpty());
  }

  @Override
  public Service merged(Service desired, Service actual) {
    return new ServiceBuilder(actual)
        .withMetadata(Meta.merged(desired, actual))
        .editOrNewSpec()
          .withType(desired.getSpec().getType())
          .withPorts(desired.getSpec().getPorts())
          .withSelector(null)
        .endSpec()
        .build();
  }

  private static List<String> ports(Service service) {
    List<ServicePort> ports = service.getSpec().getPorts();
    return ports == null ? List.of() : ports.stream()
        .map(p -> p.getName() + "/" + p.getProtocol() + "/" + p.getPort() + "->" + p.getTargetPort())
        .sorted().toList();
  }
}
