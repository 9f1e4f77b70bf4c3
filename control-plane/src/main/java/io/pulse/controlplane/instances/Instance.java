package io.pulse.controlplane.instances;

import io.pulse.common.net.HostPort;
import io.pulse.controlplane.placement.ResourceRequest;
import org.jspecify.annotations.Nullable;

/**
 * One Regular Instance as the control plane tracks it.
 *
 * @param endpoint where it serves; null while pending
 * @param createdAtMillis when the create command was sent (or the worker's creation time, if adopted)
 * @param readyAtMillis when it became ready; 0 while pending
 * @param adopted found running on a worker rather than created by this control plane
 */
public record Instance(String id, String function, long revision, String workerId, ResourceRequest resources,
    InstanceState state, @Nullable HostPort endpoint, long createdAtMillis, long readyAtMillis, boolean adopted) {

  static Instance pending(String id, String function, long revision, String workerId, ResourceRequest resources,
      long nowMillis) {
    return new Instance(id, function, revision, workerId, resources, InstanceState.PENDING, null, nowMillis, 0, false);
  }

  Instance ready(HostPort endpoint, long nowMillis) {
    return new Instance(id, function, revision, workerId, resources, InstanceState.READY, endpoint, createdAtMillis,
        nowMillis, adopted);
  }

  Instance draining() {
    return new Instance(id, function, revision, workerId, resources, InstanceState.DRAINING, endpoint,
        createdAtMillis, readyAtMillis, adopted);
  }
}
