/**
 * Level-based reconciliation. {@link io.pulse.k8sbridge.reconcile.Diff} is a pure function from the desired objects
 * and the actual ones carrying our ownership label (plus {@code now}) to a {@link io.pulse.k8sbridge.reconcile.Plan};
 * per kind, a {@link io.pulse.k8sbridge.reconcile.Mirror} says which fields are ours to compare and how an update
 * keeps what the API server owns. {@link io.pulse.k8sbridge.reconcile.ClusterReader} and {@link
 * io.pulse.k8sbridge.reconcile.PlanApplier} do the fabric8 I/O; {@link io.pulse.k8sbridge.reconcile.ReconcileLoop}
 * runs passes on start, on every route change and periodically, backing off while the API server fails.
 */
@NullMarked
package io.pulse.k8sbridge.reconcile;

import org.jspecify.annotations.NullMarked;
