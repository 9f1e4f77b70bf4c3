package io.pulse.controlplane.placement;

import java.util.HashMap;
import java.util.Map;

/**
 * What non-Pulse workloads (BaaS pods seen by the Kubernetes bridge) have reserved on each physical host, by host
 * name. Placement counts it as allocated on the workers of that host, so functions do not overcommit hosts that other
 * components occupy. Immutable.
 */
public record HostReservations(Map<String, Reserved> byHost) {

  public static final HostReservations NONE = new HostReservations(Map.of());

  /** CPU and memory held on one host. */
  public record Reserved(int cpuMillis, int memoryMiB) {

    public Reserved {
      if (cpuMillis < 0 || memoryMiB < 0) {
        throw new IllegalArgumentException("reservations must be >= 0, were " + cpuMillis + "m/" + memoryMiB + "MiB");
      }
    }

    Reserved plus(Reserved other) {
      return new Reserved(cpuMillis + other.cpuMillis, memoryMiB + other.memoryMiB);
    }
  }

  public HostReservations {
    byHost = Map.copyOf(byHost);
  }

  /** The sum of several reporters' views (each bridge reports the pods it sees). */
  public static HostReservations sum(Iterable<Map<String, Reserved>> reports) {
    Map<String, Reserved> total = new HashMap<>();
    for (Map<String, Reserved> report : reports) {
      report.forEach((host, reserved) -> total.merge(host, reserved, Reserved::plus));
    }
    return new HostReservations(total);
  }

  /** The share of a host's reservation one of its {@code workersOnHost} workers carries (split evenly). */
  public Reserved shareOf(String hostname, int workersOnHost) {
    Reserved reserved = byHost.get(hostname);
    if (reserved == null || workersOnHost <= 0) {
      return new Reserved(0, 0);
    }
    return new Reserved(divideUp(reserved.cpuMillis(), workersOnHost), divideUp(reserved.memoryMiB(), workersOnHost));
  }

  private static int divideUp(int value, int parts) {
    return (value + parts - 1) / parts;
  }
}
