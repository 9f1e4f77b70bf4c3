/**
 * The reverse proxy from the gateway to one instance: connections kept alive in a pool of our own per event loop and
 * instance ({@link io.pulse.dataplane.proxy.KeptConnections}), each driven through Netty's HTTP codec directly
 * ({@link io.pulse.dataplane.proxy.InstanceConnection}), and one-shot connections through Vert.x's client for replays
 * and instances that close their connections; bodies relayed both ways with back-pressure, hop-by-hop headers dropped
 * and X-Forwarded-* set. Failures become JSON errors (502 when the instance fails, 504 on the function timeout) in
 * general words with a ref; the details, the instance's address among them, go with the outcome to the caller's
 * failure notes; the exchange reports its outcome exactly once.
 */
@NullMarked
package io.pulse.dataplane.proxy;

import org.jspecify.annotations.NullMarked;
