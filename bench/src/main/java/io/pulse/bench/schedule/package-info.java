/**
 * The schedule generator: a pure function of a trace, the replay options and a seed. Within each minute the
 * invocations of a function arrive as a Poisson process conditioned on the minute's count (exponential
 * inter-arrival times, rescaled to the minute), as the vHive loader does; the same seed gives the same schedule.
 */
@NullMarked
package io.pulse.bench.schedule;

import org.jspecify.annotations.NullMarked;
