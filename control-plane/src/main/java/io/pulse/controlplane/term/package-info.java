/**
 * The leader-term state machine, modelled on kafka raft's {@code EpochState}/{@code QuorumState}: one pure function,
 * {@link io.pulse.controlplane.term.TermMachine#step}, takes what this replica sees of the cluster
 * ({@link io.pulse.controlplane.term.ClusterView}), its current {@link io.pulse.controlplane.term.Term} and the time,
 * and returns the next term with the {@link io.pulse.controlplane.term.TermAction}s to carry out (claim an epoch,
 * begin or end leading, merge the registry after a split). {@link io.pulse.controlplane.term.TermRunner} settles one
 * evaluation by running the epoch claims through a narrow port; the Hazelcast adapter, the lone replica and the
 * control plane's verticle only carry the actions out. The epoch has one owner: the term this machine returns.
 */
@NullMarked
package io.pulse.controlplane.term;

import org.jspecify.annotations.NullMarked;
