/**
 * Where a new Regular Instance goes. A {@link io.pulse.controlplane.placement.PlacementChain}: feasibility checks
 * (not draining, fits beside Pulse's instances, fits beside the host's reservations), then the holders of a ready pool
 * member of the creation's revision, then the least-allocated ranker, then a seeded tie-break; the answer is a {@link io.pulse.controlplane.placement.PlacementResult} whose
 * {@code NoCapacity} reason reaches the function's status. {@code PlacementChain.scan} evaluates it over every worker;
 * {@link io.pulse.controlplane.placement.PlacementIndex}, fed by worker and instance changes, gives the same answer
 * without looking at every worker per placement. Deciders get a {@link io.pulse.controlplane.placement.PlacementView}
 * of it (read-only, O(1), valid until the index changes) and place several instances through a
 * {@link io.pulse.controlplane.placement.TentativePlacement}, an overlay that counts each placement for the next
 * without touching the index. Pure: no I/O, no clock.
 */
@NullMarked
package io.pulse.controlplane.placement;

import org.jspecify.annotations.NullMarked;
