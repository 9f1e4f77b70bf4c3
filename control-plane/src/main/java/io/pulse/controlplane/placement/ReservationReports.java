package io.pulse.controlplane.placement;

import java.util.HashMap;
import java.util.Map;

/**
 * The latest host-reservation report of each Kubernetes bridge, with when it came. A report replaces that bridge's
 * previous one; a bridge silent for longer than the expiry no longer counts (it may be gone). Immutable.
 */
public record ReservationReports(Map<String, Report> byBridge) {

  public static final ReservationReports NONE = new ReservationReports(Map.of());

  /** One bridge's view: reserved resources by host name, received at {@code atMillis}. */
  public record Report(Map<String, HostReservations.Reserved> hosts, long atMillis) {

    public Report {
      hosts = Map.copyOf(hosts);
    }
  }

  public ReservationReports {
    byBridge = Map.copyOf(byBridge);
  }

  public ReservationReports report(String bridgeId, Map<String, HostReservations.Reserved> hosts, long nowMillis) {
    Map<String, Report> next = new HashMap<>(byBridge);
    next.put(bridgeId, new Report(hosts, nowMillis));
    return new ReservationReports(next);
  }

  /** Without the reports older than {@code maxAgeMillis}; the same instance when nothing expired. */
  public ReservationReports expire(long nowMillis, long maxAgeMillis) {
    if (byBridge.values().stream().noneMatch(r -> nowMillis - r.atMillis() > maxAgeMillis)) {
      return this;
    }
    Map<String, Report> next = new HashMap<>(byBridge);
    next.values().removeIf(r -> nowMillis - r.atMillis() > maxAgeMillis);
    return new ReservationReports(next);
  }

  public HostReservations total() {
    return HostReservations.sum(byBridge.values().stream().map(Report::hosts).toList());
  }
}
