/**
 * The {@code process} runtime: each sandbox is a child process of the worker, on a port from a configured range, with
 * its own private directory (working dir, combined log, metadata; {@code 0700}, the log {@code 0600}) under
 * {@code dataDir/instances/<id>/}. Each sandbox's processes are kept together ({@link
 * io.pulse.worker.sandbox.process.Containment}: a PID namespace where the machine allows one) so that none outlives
 * its deletion or the worker. The metadata file lets a restarted worker re-adopt processes that are still alive.
 * Development runtime: no isolation beyond the OS user.
 */
@NullMarked
package io.pulse.worker.sandbox.process;

import org.jspecify.annotations.NullMarked;
