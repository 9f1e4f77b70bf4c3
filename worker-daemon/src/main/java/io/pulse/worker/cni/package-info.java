/**
 * CNI bridge networking run by the worker itself: {@link io.pulse.worker.cni.CniBridge} executes Debian's
 * {@code containernetworking-plugins} ({@code bridge} + {@code host-local} IPAM) with ADD before a task starts and DEL
 * when it is deleted, keeping IPAM state in a directory of its own so that a restarted worker can find and release
 * addresses whose sandbox is gone.
 */
@NullMarked
package io.pulse.worker.cni;

import org.jspecify.annotations.NullMarked;
