/**
 * How clients of the control plane (worker daemons, data planes) find its leader: a gRPC channel over a list of seed
 * replicas that asks any of them {@code GetLeader} and sends every call to the leader it named, asking again whenever
 * a call says the target is not (or no longer) the leader.
 */
@NullMarked
package io.pulse.common.leader;

import org.jspecify.annotations.NullMarked;
