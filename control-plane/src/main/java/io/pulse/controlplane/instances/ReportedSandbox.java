package io.pulse.controlplane.instances;

import io.pulse.common.net.HostPort;
import io.pulse.controlplane.placement.ResourceRequest;
import org.jspecify.annotations.Nullable;

/** A sandbox as a worker lists it in its registration or heartbeat. */
public record ReportedSandbox(String instanceId, String function, long revision, Kind kind, Status status,
    @Nullable HostPort endpoint, long createdAtMillis, ResourceRequest resources) {

  public enum Kind { REGULAR, EMERGENCY }

  public enum Status { STARTING, READY, EXITED }
}
