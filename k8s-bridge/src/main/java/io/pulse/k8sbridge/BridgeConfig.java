package io.pulse.k8sbridge;

import io.pulse.common.net.HostPort;
import io.pulse.k8sbridge.resources.MirrorConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The bridge's configuration, validated once at the edge.
 *
 * @param controlPlanes control-plane gRPC addresses; the leader is found through them
 * @param kubeconfig the kubeconfig file, or null for fabric8's auto-configuration (in-cluster when run as a pod)
 * @param mirror what the mirrored objects look like (owner id, namespace, data planes, lease timing)
 * @param resync the period of full passes (also the Lease renewal cadence)
 * @param maxBackoff the longest wait between passes while the API server fails
 * @param reservationPeriod how often host reservations are computed and reported
 */
public record BridgeConfig(List<HostPort> controlPlanes, @Nullable Path kubeconfig, MirrorConfig mirror,
    Duration resync, Duration maxBackoff, Duration reservationPeriod) {

  public static final String DEFAULT_ID = "pulse-k8s-bridge";
  public static final String DEFAULT_NAMESPACE = "pulse";

  public BridgeConfig {
    controlPlanes = List.copyOf(controlPlanes);
    if (controlPlanes.isEmpty()) {
      throw new IllegalArgumentException("--api needs at least one control-plane address");
    }
    if (resync.toMillis() < 100) {
      throw new IllegalArgumentException("--resync-ms must be at least 100, was " + resync.toMillis());
    }
    if (maxBackoff.toMillis() < 100) {
      throw new IllegalArgumentException("max backoff must be at least 100 ms, was " + maxBackoff.toMillis());
    }
    if (reservationPeriod.toMillis() < 100) {
      throw new IllegalArgumentException("--reservations-ms must be at least 100, was "
          + reservationPeriod.toMillis());
    }
  }

  /**
   * The defaults: resync 10 s (Leases renewed every pass, their duration 40 s, as a kubelet does), backoff up to
   * 30 s, host reservations every 10 s.
   */
  public static BridgeConfig defaults(List<HostPort> controlPlanes, @Nullable Path kubeconfig, String namespace,
      List<HostPort> dataPlanes) {
    return withTiming(controlPlanes, kubeconfig, DEFAULT_ID, namespace, dataPlanes, Duration.ofSeconds(10),
        Duration.ofSeconds(30), Duration.ofSeconds(10));
  }

  /** A configuration whose Lease renewal follows {@code resync} (renewed when older than half of it). */
  public static BridgeConfig withTiming(List<HostPort> controlPlanes, @Nullable Path kubeconfig, String id,
      String namespace, List<HostPort> dataPlanes, Duration resync, Duration maxBackoff,
      Duration reservationPeriod) {
    MirrorConfig mirror = new MirrorConfig(id, namespace, dataPlanes, Duration.ofSeconds(40), resync.dividedBy(2),
        Duration.ofSeconds(60));
    return new BridgeConfig(controlPlanes, kubeconfig, mirror, resync, maxBackoff, reservationPeriod);
  }
}
