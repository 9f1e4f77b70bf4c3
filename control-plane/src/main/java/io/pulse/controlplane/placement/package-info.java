/**
 * Where a new Regular Instance goes. Pure: a snapshot of live workers with what is already allocated on them plus a
 * resource request in, a {@link io.pulse.controlplane.placement.PlacementResult} out. Feasibility filters first (CPU
 * and memory must fit), then ranking picks the worker least allocated after placement, ties broken by worker id.
 */
@NullMarked
package io.pulse.controlplane.placement;

import org.jspecify.annotations.NullMarked;
