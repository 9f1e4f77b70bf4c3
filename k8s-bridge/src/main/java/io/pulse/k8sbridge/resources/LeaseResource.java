package io.pulse.k8sbridge.resources;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.pulse.k8sbridge.view.WorkerView;
import java.time.Instant;

/** Worker → its node Lease in {@code kube-node-lease}, renewed while the worker lives (the node's heartbeat). */
public final class LeaseResource {

  private LeaseResource() {}

  public static Lease make(WorkerView worker, MirrorConfig config, Instant now) {
    String node = NodeResource.name(worker.workerId());
    return new LeaseBuilder()
        .withNewMetadata()
          .withName(node)
          .withNamespace(MirrorConfig.LEASE_NAMESPACE)
          .addToLabels(Labels.MANAGED_BY, config.owner())
          .addToLabels(Labels.WORKER, Names.labelValue(worker.workerId()))
        .endMetadata()
        .withNewSpec()
          .withHolderIdentity(node)
          .withLeaseDurationSeconds((int) config.leaseDuration().toSeconds())
          .withRenewTime(Times.microTime(now))
        .endSpec()
        .build();
  }
}
