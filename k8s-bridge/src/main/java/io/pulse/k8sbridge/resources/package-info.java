/**
 * Pure builders: each turns our records (a worker, an instance, a function) plus {@link
 * io.pulse.k8sbridge.resources.MirrorConfig} and {@code now} into the fabric8 object the cluster should hold, and
 * {@link io.pulse.k8sbridge.resources.DesiredState} assembles them for a whole {@code ClusterView}. No I/O here;
 * every object carries the ownership label ({@link io.pulse.k8sbridge.resources.Labels#MANAGED_BY}) that the
 * reconciler selects on, so the bridge never touches objects it did not create.
 */
@NullMarked
package io.pulse.k8sbridge.resources;

import org.jspecify.annotations.NullMarked;
