/**
 * The {@code process} runtime: each sandbox is a child process of the worker, on a port from a configured range, with
 * its own directory (working dir, combined log, metadata) under {@code dataDir/instances/<id>/}. The metadata file lets
 * a restarted worker re-adopt processes that are still alive. Development runtime: no isolation beyond the OS user.
 */
@NullMarked
package io.pulse.worker.sandbox.process;

import org.jspecify.annotations.NullMarked;
