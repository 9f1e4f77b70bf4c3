package io.pulse.dataplane.routing;

import java.util.List;
import java.util.Map;

/**
 * How to serve one function: its revision, the hard slot count per instance (target concurrency), the end-to-end
 * timeout, the ready Regular Instances, and what the expedited track needs: the scaling policy, the Regular-Instance
 * keep-alive (for the metric filter), how long an Emergency Instance may be reused (0 = single use) and the sandbox
 * to create; {@code noCapacity}: the control plane finds no worker with room for an instance it wants;
 * {@code readyPoolMembers}: worker id to the sandboxes of this revision its pool holds ready (the expedited track
 * prefers those workers).
 */
public record Route(String function, long revision, int slotsPerInstance, int timeoutSeconds,
    List<Instance> instances, ScalingPolicy policy, int keepAliveSeconds, int emergencyKeepAliveMs,
    SandboxTemplate sandbox, boolean noCapacity, Map<String, Integer> readyPoolMembers) {

  /** Used when a route leaves the keep-alive unset. */
  public static final int DEFAULT_KEEP_ALIVE_SECONDS = 60;

  public Route {
    if (function.isBlank()) {
      throw new IllegalArgumentException("function.name must not be empty");
    }
    if (slotsPerInstance < 1) {
      throw new IllegalArgumentException("target_concurrency of " + function + " must be >= 1, was "
          + slotsPerInstance);
    }
    if (timeoutSeconds < 1) {
      throw new IllegalArgumentException("timeout_seconds of " + function + " must be >= 1, was " + timeoutSeconds);
    }
    if (keepAliveSeconds < 1) {
      throw new IllegalArgumentException("keep_alive_seconds of " + function + " must be >= 1, was "
          + keepAliveSeconds);
    }
    if (emergencyKeepAliveMs < 0) {
      throw new IllegalArgumentException("emergency_keep_alive_ms of " + function + " must be >= 0, was "
          + emergencyKeepAliveMs);
    }
    instances = List.copyOf(instances);
    readyPoolMembers = Map.copyOf(readyPoolMembers);
  }

  public Route(String function, long revision, int slotsPerInstance, int timeoutSeconds, List<Instance> instances,
      ScalingPolicy policy, int keepAliveSeconds, int emergencyKeepAliveMs, SandboxTemplate sandbox,
      boolean noCapacity) {
    this(function, revision, slotsPerInstance, timeoutSeconds, instances, policy, keepAliveSeconds,
        emergencyKeepAliveMs, sandbox, noCapacity, Map.of());
  }

  public Route(String function, long revision, int slotsPerInstance, int timeoutSeconds, List<Instance> instances,
      ScalingPolicy policy, int keepAliveSeconds, int emergencyKeepAliveMs, SandboxTemplate sandbox) {
    this(function, revision, slotsPerInstance, timeoutSeconds, instances, policy, keepAliveSeconds,
        emergencyKeepAliveMs, sandbox, false);
  }

  /** A dual-track route with default keep-alive and no sandbox (cannot take the expedited track). */
  public Route(String function, long revision, int slotsPerInstance, int timeoutSeconds, List<Instance> instances) {
    this(function, revision, slotsPerInstance, timeoutSeconds, instances, ScalingPolicy.DUAL_TRACK,
        DEFAULT_KEEP_ALIVE_SECONDS, 0, SandboxTemplate.EMPTY);
  }
}
