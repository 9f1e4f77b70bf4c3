/**
 * Keeps the bridge's {@code ClusterView} current from the control-plane leader: finds the leader ({@code GetLeader}
 * on the given seeds, else the first seed), follows its {@code WatchRoutes} stream (a snapshot, then deltas),
 * acknowledges every update like a data plane does, and reconnects with backoff after a failover. The only place the
 * bridge reads route protobufs; Emergency Instances are dropped here.
 */
@NullMarked
package io.pulse.k8sbridge.watch;

import org.jspecify.annotations.NullMarked;
