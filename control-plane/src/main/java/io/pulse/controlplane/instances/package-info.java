/**
 * The Regular-Instance lifecycle: per function, desired count versus what runs. Pure planners decide
 * ({@link io.pulse.controlplane.instances.ScalePlanner} for creations and removals,
 * {@link io.pulse.controlplane.instances.SandboxReconciler} for what a worker's heartbeat reveals);
 * {@link io.pulse.controlplane.instances.InstanceLifecycle} applies their plans through a
 * {@link io.pulse.controlplane.instances.WorkerClient} and owns the instance table on the control plane's context.
 */
@NullMarked
package io.pulse.controlplane.instances;

import org.jspecify.annotations.NullMarked;
