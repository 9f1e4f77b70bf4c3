/**
 * Which track a request that finds no free Regular slot takes: our extension of PulseNet's rule. PulseNet creates an
 * Emergency Instance for every such request; here the request waits for a Regular slot when one is expected to free
 * up sooner than an Emergency Instance could be created ({@link io.pulse.dataplane.tracks.TrackRule}, pure), and
 * Emergency creations in flight per function are capped by CPU headroom. The inputs are measured on the request
 * path without locks: {@link io.pulse.dataplane.tracks.FunctionTimes} (execution times, in-flight start times,
 * creations in flight) and {@link io.pulse.dataplane.tracks.CreationTimes} (creation time per worker and revision).
 */
@NullMarked
package io.pulse.dataplane.tracks;

import org.jspecify.annotations.NullMarked;
