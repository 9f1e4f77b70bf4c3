/**
 * A fake runtime for simulating many workers on one machine (bench) and for testing the other components without
 * processes: sandboxes exist only in memory.
 */
@NullMarked
package io.pulse.worker.sandbox.fake;

import org.jspecify.annotations.NullMarked;
