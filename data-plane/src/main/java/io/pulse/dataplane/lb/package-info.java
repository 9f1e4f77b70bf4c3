/**
 * Load balancing over a function's ready instances. In-flight counters live per instance id, outside the routing
 * table, so they survive table swaps; a {@link io.pulse.dataplane.lb.LbPolicy} is a pure function that picks an
 * instance from a snapshot of those counters, and the {@link io.pulse.dataplane.lb.Balancer} turns the pick into a
 * {@link io.pulse.dataplane.lb.Lease} with a compare-and-set, so the per-instance slot limit is never exceeded.
 */
@NullMarked
package io.pulse.dataplane.lb;

import org.jspecify.annotations.NullMarked;
