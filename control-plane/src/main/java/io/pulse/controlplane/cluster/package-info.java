/**
 * The control plane as a group of replicas: an embedded Hazelcast member per replica (TCP-IP join, explicit member
 * list, failure detection in seconds, a majority split-brain protection on every map), leader election by membership
 * (the oldest member of a majority side leads) and a fencing epoch that grows with every leader term and is persisted
 * on every replica. The decisions are the term machine's ({@link io.pulse.controlplane.term}); the Hazelcast adapter
 * feeds it the member list, carries out its epoch claims and publishes
 * {@link io.pulse.controlplane.cluster.ClusterState} snapshots. A single
 * replica runs without Hazelcast at all ({@link io.pulse.controlplane.cluster.SoloCluster}).
 */
@NullMarked
package io.pulse.controlplane.cluster;

import org.jspecify.annotations.NullMarked;
