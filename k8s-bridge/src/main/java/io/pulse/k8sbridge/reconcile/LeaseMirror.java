package io.pulse.k8sbridge.reconcile;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.pulse.k8sbridge.resources.MirrorConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** Node Leases: holder and duration, and a renew time younger than the renew interval (the node's heartbeat). */
final class LeaseMirror implements Mirror<Lease> {

  private final Duration renewAfter;

  LeaseMirror(MirrorConfig config) {
    this.renewAfter = config.leaseRenewAfter();
  }

  @Override
  public ObjectKind kind() {
    return ObjectKind.LEASE;
  }

  @Override
  public boolean specMatches(Lease desired, Lease actual, Instant now) {
    if (!Meta.metadataMatches(desired, actual) || actual.getSpec() == null) {
      return false;
    }
    var want = desired.getSpec();
    var have = actual.getSpec();
    return Objects.equals(want.getHolderIdentity(), have.getHolderIdentity())
        && Objects.equals(want.getLeaseDurationSeconds(), have.getLeaseDurationSeconds())
        && have.getRenewTime() != null
        && Duration.between(have.getRenewTime().toInstant(), now).compareTo(renewAfter) < 0;
  }

  @Override
  public Lease merged(Lease desired, Lease actual) {
    return new LeaseBuilder(actual)
        .withMetadata(Meta.merged(desired, actual))
        .withSpec(desired.getSpec())
        .build();
  }
}
