/**
 * The control plane as one component: {@link io.pulse.controlplane.ControlPlane} starts and stops it,
 * {@link io.pulse.controlplane.ControlPlaneConfig} configures it. Inside, one Vert.x context owns all soft state
 * (workers, instances, load, autoscaler history); the scheduler wires the capability packages together on it, and
 * readers (REST, metrics) see immutable snapshots it publishes by reference.
 */
@NullMarked
package io.pulse.controlplane;

import org.jspecify.annotations.NullMarked;
