/**
 * Where requests go. The control plane streams routes (functions and their ready instances); the
 * {@link io.pulse.dataplane.routing.RouteWatcher} turns each message into a {@link io.pulse.dataplane.routing.RouteDelta}
 * and {@link io.pulse.dataplane.routing.RoutingState} publishes the next immutable
 * {@link io.pulse.dataplane.routing.RoutingTable} through one volatile write, so the hot path reads a consistent
 * snapshot without locks. {@link io.pulse.dataplane.routing.RequestTarget} maps a request (path or Host form) to a
 * function and the URI to forward.
 */
@NullMarked
package io.pulse.dataplane.routing;

import org.jspecify.annotations.NullMarked;
