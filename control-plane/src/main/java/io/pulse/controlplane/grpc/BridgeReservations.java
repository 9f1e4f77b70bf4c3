package io.pulse.controlplane.grpc;

import io.pulse.controlplane.placement.HostReservations;
import java.util.Map;

/** What Kubernetes bridges report of the hosts they share with Pulse. Called on the control plane's context. */
public interface BridgeReservations {

  /**
   * A Kubernetes bridge's report of what non-Pulse pods reserve per physical host; it replaces that bridge's previous
   * report.
   */
  default void hostReservations(String bridgeId, Map<String, HostReservations.Reserved> hosts) {}
}
