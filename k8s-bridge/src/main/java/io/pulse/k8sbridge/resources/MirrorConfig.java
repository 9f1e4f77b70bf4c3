package io.pulse.k8sbridge.resources;

import io.pulse.common.net.HostPort;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the builders need besides our records, validated once.
 *
 * @param owner the bridge's id: the value of the ownership label
 * @param namespace where Pods, Services and EndpointSlices live
 * @param dataPlanes the gateways a function's Service reaches (all on one port, all IPs or all host names)
 * @param leaseDuration the node Leases' duration
 * @param leaseRenewAfter a Lease older than this is renewed
 * @param nodeHeartbeatAfter a Node whose Ready heartbeat is older than this gets a fresh one
 */
public record MirrorConfig(String owner, String namespace, List<HostPort> dataPlanes, Duration leaseDuration,
    Duration leaseRenewAfter, Duration nodeHeartbeatAfter) {

  public static final String LEASE_NAMESPACE = "kube-node-lease";
  /** The port a function's Service exposes. */
  public static final int SERVICE_PORT = 80;

  public MirrorConfig {
    dataPlanes = List.copyOf(dataPlanes);
    if (!owner.equals(Names.labelValue(owner)) || owner.isEmpty()) {
      throw new IllegalArgumentException("bridge id must be a valid label value, was '" + owner + "'");
    }
    if (!namespace.equals(Names.dnsLabel(namespace))) {
      throw new IllegalArgumentException("namespace must be a DNS-1123 label, was '" + namespace + "'");
    }
    if (dataPlanes.stream().map(HostPort::port).distinct().count() > 1) {
      throw new IllegalArgumentException("data-plane addresses must share one port, were " + dataPlanes);
    }
    if (dataPlanes.stream().map(hp -> AddressKind.of(hp.host())).distinct().count() > 1) {
      throw new IllegalArgumentException("data-plane addresses must be all IPv4, all IPv6 or all host names, were "
          + dataPlanes);
    }
    if (leaseDuration.toSeconds() < 1 || leaseRenewAfter.isNegative() || nodeHeartbeatAfter.isNegative()) {
      throw new IllegalArgumentException("lease duration must be at least 1 s and renew intervals positive");
    }
  }

  /** The data planes an EndpointSlice can list: those whose address an API server takes as an endpoint. */
  public List<HostPort> endpointDataPlanes() {
    return dataPlanes.stream().filter(hp -> AddressKind.endpointRefusal(hp.host()).isEmpty()).toList();
  }

  /** The data planes no EndpointSlice can list, each with the reason an API server would give. */
  public Map<HostPort, String> unmirroredDataPlanes() {
    Map<HostPort, String> refused = new LinkedHashMap<>();
    dataPlanes.forEach(hp -> AddressKind.endpointRefusal(hp.host()).ifPresent(why -> refused.put(hp, why)));
    return refused;
  }

  /** Defaults for {@code owner} in {@code namespace}. */
  public static MirrorConfig defaults(String owner, String namespace, List<HostPort> dataPlanes) {
    return new MirrorConfig(owner, namespace, dataPlanes, Duration.ofSeconds(40), Duration.ofSeconds(5),
        Duration.ofSeconds(60));
  }
}
