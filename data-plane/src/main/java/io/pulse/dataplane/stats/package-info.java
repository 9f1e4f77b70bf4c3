/**
 * Per-function load accounting (time-weighted average of in flight + queued, arrivals) and the reporter that sends it
 * to the control plane every interval, plus the immediate report that starts a scale from zero.
 */
@NullMarked
package io.pulse.dataplane.stats;

import org.jspecify.annotations.NullMarked;
