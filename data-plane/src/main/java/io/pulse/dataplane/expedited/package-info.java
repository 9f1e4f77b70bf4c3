/**
 * The expedited track (PulseNet): when a request finds no free slot on a Regular Instance, the data plane creates an
 * Emergency Instance itself, straight on a worker, without a control-plane round trip. Placement is round-robin over
 * the workers whose headroom (capacity plus emergency reserve, minus what Regular Instances and this data plane's own
 * Emergency Instances hold) fits the function, bounded per worker in concurrent creations; it is a pure function of
 * a snapshot ({@link io.pulse.dataplane.expedited.RoundRobinPlacement}), decided under one short lock in the
 * {@link io.pulse.dataplane.expedited.EmergencyLedger}. {@link io.pulse.dataplane.expedited.ExpeditedTrack} does the
 * I/O: creates through {@link io.pulse.dataplane.expedited.SandboxCreator}, disposes after one request (or keeps the
 * instance for the function's short emergency keep-alive), and tells the gateway when headroom frees up.
 */
@NullMarked
package io.pulse.dataplane.expedited;

import org.jspecify.annotations.NullMarked;
