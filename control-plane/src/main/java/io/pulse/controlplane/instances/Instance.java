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
 * @param generation the worker's listing generation from which every listing shows it: from its creation's answer,
 *     or the listing it was adopted from; {@link WorkerListing#UNKNOWN} while pending or from an older worker
 */
public record Instance(String id, String function, long revision, String workerId, ResourceRequest resources,
    InstanceState state, @Nullable HostPort endpoint, long createdAtMillis, long readyAtMillis, boolean adopted,
    long generation) {

  /** An instance whose worker gave no listing generation. */
  public Instance(String id, String function, long revision, String workerId, ResourceRequest resources,
      InstanceState state, @Nullable HostPort endpoint, long createdAtMillis, long readyAtMillis, boolean adopted) {
    this(id, function, revision, workerId, resources, state, endpoint, createdAtMillis, readyAtMillis, adopted,
        WorkerListing.UNKNOWN);
  }

  static Instance pending(String id, String function, long revision, String workerId, ResourceRequest resources,
      long nowMillis) {
    return new Instance(id, function, revision, workerId, resources, InstanceState.PENDING, null, nowMillis, 0, false);
  }

  Instance ready(HostPort endpoint, long generation, long nowMillis) {
    return new Instance(id, function, revision, workerId, resources, InstanceState.READY, endpoint, createdAtMillis,
        nowMillis, adopted, generation);
  }

  Instance draining() {
    return new Instance(id, function, revision, workerId, resources, InstanceState.DRAINING, endpoint,
        createdAtMillis, readyAtMillis, adopted, generation);
  }
}
