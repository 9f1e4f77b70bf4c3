package io.pulse.controlplane.instances;

import io.pulse.common.net.HostPort;
import io.pulse.controlplane.placement.ResourceRequest;
import org.jspecify.annotations.Nullable;

/**
 * A sandbox as a worker lists it in its registration or heartbeat.
 *
 * @param exit why it ended, when the worker says (status EXITED)
 */
public record ReportedSandbox(String instanceId, String function, long revision, Kind kind, Status status,
    @Nullable HostPort endpoint, long createdAtMillis, ResourceRequest resources, @Nullable Exit exit) {

  public enum Kind { REGULAR, EMERGENCY }

  public enum Status { STARTING, READY, EXITED }

  /** @param reason {@code oom-killed}, {@code killed} or {@code exited} */
  public record Exit(String reason, int exitCode, String message, long atMillis) {}

  /** A sandbox that has not exited (or whose worker does not say why). */
  public ReportedSandbox(String instanceId, String function, long revision, Kind kind, Status status,
      @Nullable HostPort endpoint, long createdAtMillis, ResourceRequest resources) {
    this(instanceId, function, revision, kind, status, endpoint, createdAtMillis, resources, null);
  }
}
