/**
 * Keeps the bridge's {@code ClusterView} current from the control-plane leader: follows its {@code WatchRoutes} stream
 * through the shared {@code io.pulse.common.routes.WatchRoutesClient} (the leader found with {@code GetLeader} on the
 * given seeds, a snapshot then deltas, every update acknowledged like a data plane does, reconnecting with backoff
 * after a failover); {@code --dry-run} takes its one snapshot the same way. The only place the bridge reads route
 * protobufs; Emergency Instances are dropped here.
 */
@NullMarked
package io.pulse.k8sbridge.watch;

import org.jspecify.annotations.NullMarked;
