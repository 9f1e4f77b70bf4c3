/**
 * The wait queue for requests that found no free slot: bounded, FIFO, per function. A parked request gets a future
 * that completes with a slot when one frees up or an instance appears, or fails with a typed
 * {@link io.pulse.dataplane.coldstart.ColdStartException} (deadline, function removed, client gone, closing); a
 * request that finds the queue at capacity is told so at once.
 * Every hand-off is decided under one short per-queue lock, so no request is served twice or lost; what a decision
 * entails (completing futures, deleting a stale instance, the wake-ups that follow) is carried out after the lock.
 */
@NullMarked
package io.pulse.dataplane.coldstart;

import org.jspecify.annotations.NullMarked;
