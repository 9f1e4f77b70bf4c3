/**
 * The Regular-Instance lifecycle, shaped like Nomad's scheduler (reconcile, plan, apply). Pure deciders
 * ({@link io.pulse.controlplane.instances.LifecyclePlanner} over
 * {@link io.pulse.controlplane.instances.ScalePlanner} for creations, drains and their bounds,
 * {@link io.pulse.controlplane.instances.SandboxReconciler} for what a worker's listing reveals) are asked by the
 * coordinator, {@link io.pulse.controlplane.instances.InstanceLifecycle}, which folds events into the instance table and
 * its deadlines (backoffs, drain checks, tombstones) and hands one {@link io.pulse.controlplane.instances.Plan} per
 * event to the {@link io.pulse.controlplane.instances.PlanApplier}: the only code that sends commands to workers
 * (through a {@link io.pulse.controlplane.instances.WorkerClient}, whose adapter answers in
 * {@link io.pulse.controlplane.instances.CreateAnswer}s) and that arms the one wake-up timer. The image preparations and
 * pool targets that images/ and pools/ decide go through it too, as
 * {@link io.pulse.controlplane.instances.WorkerCommand}s answered by a
 * {@link io.pulse.controlplane.instances.CommandAnswer}.
 */
@NullMarked
package io.pulse.controlplane.instances;

import org.jspecify.annotations.NullMarked;
