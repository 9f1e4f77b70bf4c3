/**
 * Sandbox pools: per function revision, sandboxes created but not started (snapshot, container, task, network in
 * place) that a creation of that revision, on either track, claims and only starts. {@link
 * io.pulse.worker.sandbox.containerd.pool.Refill} decides which pools get a member next within the worker's {@link
 * io.pulse.worker.sandbox.containerd.pool.PoolBudget} (pure); {@link io.pulse.worker.sandbox.containerd.pool.SandboxPool}
 * keeps the members and does the creating and discarding off any event loop, backing off a pool whose creations
 * fail; {@link io.pulse.worker.sandbox.containerd.pool.PooledSandboxRuntime} puts the pool in front of the containerd
 * runtime. Pool members are never listed as sandboxes, so they never count as instances.
 */
@NullMarked
package io.pulse.worker.sandbox.containerd.pool;

import org.jspecify.annotations.NullMarked;
