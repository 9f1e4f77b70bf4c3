/**
 * Sandbox output on the worker's disk: one file per instance, each line stamped with the time the worker read it,
 * rotated at a size bound ({@link io.pulse.worker.sandbox.logs.RotatingLog}, fed by a {@link
 * io.pulse.worker.sandbox.logs.LogPump}), and read back by {@link io.pulse.worker.sandbox.logs.LogFiles}.
 */
@NullMarked
package io.pulse.worker.sandbox.logs;

import org.jspecify.annotations.NullMarked;
