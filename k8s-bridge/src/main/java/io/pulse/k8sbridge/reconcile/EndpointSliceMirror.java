package io.pulse.k8sbridge.reconcile;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** EndpointSlices: addresses and ports are ours; the address type cannot change in place. */
final class EndpointSliceMirror implements Mirror<EndpointSlice> {

  @Override
  public ObjectKind kind() {
    return ObjectKind.ENDPOINT_SLICE;
  }

  @Override
  public boolean specMatches(EndpointSlice desired, EndpointSlice actual, Instant now) {
    return Meta.metadataMatches(desired, actual)
        && Objects.equals(desired.getAddressType(), actual.getAddressType())
        && Objects.equals(addresses(desired), addresses(actual))
        && Objects.equals(ports(desired), ports(actual));
  }

  @Override
  public boolean mustRecreate(EndpointSlice desired, EndpointSlice actual) {
    return !Objects.equals(desired.getAddressType(), actual.getAddressType());
  }

  @Override
  public EndpointSlice merged(EndpointSlice desired, EndpointSlice actual) {
    return new EndpointSliceBuilder(actual)
        .withMetadata(Meta.merged(desired, actual))
        .withEndpoints(desired.getEndpoints())
        .withPorts(desired.getPorts())
        .build();
  }

  private static List<String> addresses(EndpointSlice slice) {
    return slice.getEndpoints() == null ? List.of() : slice.getEndpoints().stream()
        .map(e -> String.join(",", e.getAddresses()) + "/"
            + (e.getConditions() == null ? null : e.getConditions().getReady()))
        .sorted().toList();
  }

  private static List<String> ports(EndpointSlice slice) {
    return slice.getPorts() == null ? List.of() : slice.getPorts().stream()
        .map(p -> p.getName() + "/" + p.getProtocol() + "/" + p.getPort()).sorted().toList();
  }
}
