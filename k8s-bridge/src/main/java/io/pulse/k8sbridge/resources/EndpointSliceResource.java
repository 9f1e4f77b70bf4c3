package io.pulse.k8sbridge.resources;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.pulse.common.net.HostPort;
import io.pulse.k8sbridge.view.FunctionView;
import java.util.List;
import java.util.Optional;

/** Function → the EndpointSlice of its Service: the data planes' gateway addresses. */
public final class EndpointSliceResource {

  /** Marks the slice as ours for Kubernetes' own EndpointSlice controller, which then leaves it alone. */
  public static final String CONTROLLER = "pulse.io-k8s-bridge";

  private EndpointSliceResource() {}

  public static String name(String function) {
    return Names.dnsLabel(ServiceResource.name(function) + "-pulse");
  }

  /**
   * Empty when no data plane has an address an API server takes as an endpoint (none configured, or only loopback
   * ones, as {@code pulse up} gives): the Service then has no endpoints, rather than a slice the server refuses.
   */
  public static Optional<EndpointSlice> make(FunctionView function, MirrorConfig config) {
    List<HostPort> dataPlanes = config.endpointDataPlanes();
    if (dataPlanes.isEmpty()) {
      return Optional.empty();
    }
    List<Endpoint> endpoints = dataPlanes.stream()
        .map(HostPort::host)
        .distinct()
        .sorted()
        .map(host -> new EndpointBuilder().withAddresses(host).withNewConditions().withReady(true).endConditions()
            .build())
        .toList();
    String service = ServiceResource.name(function.name());
    return Optional.of(new EndpointSliceBuilder()
        .withNewMetadata()
          .withName(name(function.name()))
          .withNamespace(config.namespace())
          .addToLabels(Labels.SERVICE_NAME, service)
          .addToLabels(Labels.SLICE_MANAGED_BY, CONTROLLER)
          .addToLabels(Labels.FUNCTION, Names.labelValue(function.name()))
          .addToLabels(Labels.MANAGED_BY, config.owner())
        .endMetadata()
        .withAddressType(AddressKind.of(dataPlanes.getFirst().host()).addressType)
        .withEndpoints(endpoints)
        .addNewPort().withName("http").withProtocol("TCP").withPort(dataPlanes.getFirst().port()).endPort()
        .build());
  }
}
