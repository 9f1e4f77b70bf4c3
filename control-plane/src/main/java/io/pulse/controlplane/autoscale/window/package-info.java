/**
 * Time-bucketed bookkeeping of observed concurrency for the autoscaler. Values are immutable: recording returns a new
 * window, and every read takes the time as a parameter, so the same inputs always give the same averages.
 */
@NullMarked
package io.pulse.controlplane.autoscale.window;

import org.jspecify.annotations.NullMarked;
