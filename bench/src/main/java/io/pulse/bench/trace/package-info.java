/**
 * Trace readers: the vHive loader's Azure 2019 format and the older in-vitro sampler format, read in place into one
 * model (per function: invocations per minute, execution-time percentiles, memory). No I/O beyond reading the files.
 */
@NullMarked
package io.pulse.bench.trace;

import org.jspecify.annotations.NullMarked;
