package io.pulse.k8sbridge.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;

/**
 * How one kind is compared and updated: only the fields the bridge owns count, so that what the API server defaults
 * or assigns (cluster IPs, defaulted pod fields, resource versions) never makes a pass write.
 */
interface Mirror<T extends HasMetadata> {

  ObjectKind kind();

  /** Whether the object itself (metadata and spec) is as desired. */
  boolean specMatches(T desired, T actual, Instant now);

  /** Whether a difference is in a field that cannot be updated in place. */
  default boolean mustRecreate(T desired, T actual) {
    return false;
  }

  /** Whether the kind's status is ours to write (Nodes and Pods: the bridge plays their kubelet). */
  default boolean hasStatus() {
    return false;
  }

  default boolean statusMatches(T desired, T actual, Instant now) {
    return true;
  }

  /** The update body: the actual object with our fields from {@code desired}, status included when it is ours. */
  T merged(T desired, T actual);
}
