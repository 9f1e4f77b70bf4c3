package io.pulse.worker.sandbox.containerd;

import io.pulse.worker.sandbox.CreatorLease;
import io.pulse.worker.sandbox.Resources;
import io.pulse.worker.sandbox.SandboxKind;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What every container of ours carries as labels, so that a restarted worker can rebuild its sandbox records from
 * containerd alone. Pure conversions both ways.
 */
record SandboxLabels(String instanceId, String function, long revision, SandboxKind kind, int port, String network,
    long createdAtMs, Resources resources, CreatorLease creator) {

  static final String PREFIX = "io.pulse.";
  /** Present on a pool member's container (created, not started) until it is claimed as an instance. */
  static final String POOL_MEMBER = PREFIX + "pool-member";

  Map<String, String> toMap() {
    Map<String, String> labels = new HashMap<>(Map.of(
        PREFIX + "instance", instanceId,
        PREFIX + "function", function,
        PREFIX + "revision", Long.toString(revision),
        PREFIX + "kind", kind.name(),
        PREFIX + "port", Integer.toString(port),
        PREFIX + "network", network,
        PREFIX + "created-at-ms", Long.toString(createdAtMs),
        PREFIX + "cpu-millis", Integer.toString(resources.cpuMillis()),
        PREFIX + "memory-mib", Integer.toString(resources.memoryMiB())));
    if (creator.held()) {
      labels.put(PREFIX + "creator", creator.creator());
      labels.put(PREFIX + "lease-ms", Long.toString(creator.leaseMs()));
    }
    return Map.copyOf(labels);
  }

  /** The labels parsed back; empty when a label is missing or malformed (not a container we made). */
  static Optional<SandboxLabels> parse(Map<String, String> labels) {
    try {
      return Optional.of(new SandboxLabels(
          required(labels, "instance"),
          required(labels, "function"),
          Long.parseLong(required(labels, "revision")),
          SandboxKind.valueOf(required(labels, "kind")),
          Integer.parseInt(required(labels, "port")),
          required(labels, "network"),
          Long.parseLong(required(labels, "created-at-ms")),
          new Resources(Integer.parseInt(required(labels, "cpu-millis")),
              Integer.parseInt(required(labels, "memory-mib"))),
          // Absent on sandboxes without a lease (and on those of earlier versions).
          new CreatorLease(labels.getOrDefault(PREFIX + "creator", ""),
              Long.parseLong(labels.getOrDefault(PREFIX + "lease-ms", "0")))));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String required(Map<String, String> labels, String key) {
    String value = labels.get(PREFIX + key);
    if (value == null) {
      throw new IllegalArgumentException("missing label " + PREFIX + key);
    }
    return value;
  }
}
