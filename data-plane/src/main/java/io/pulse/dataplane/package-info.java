/**
 * The data plane: the invocation gateway. {@link io.pulse.dataplane.DataPlane} wires the capabilities below into
 * HTTP verticles (one per event loop) that route a request to a function, take a slot on one of its ready instances
 * (or park it until one frees up or appears) and proxy the exchange, while the route watcher and the load reporter
 * talk to the control plane.
 */
@NullMarked
package io.pulse.dataplane;

import org.jspecify.annotations.NullMarked;
