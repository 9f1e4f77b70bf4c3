package io.pulse.k8sbridge.reconcile;

/** The kinds the bridge writes, in the order they are created (and the reverse order they are deleted). */
public enum ObjectKind {
  NODE, LEASE, SERVICE, ENDPOINT_SLICE, POD
}
