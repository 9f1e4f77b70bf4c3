/**
 * The reverse proxy from the gateway to one instance: Vert.x core HTTP connections, kept alive in a pool of our own
 * per event loop and instance ({@link io.pulse.dataplane.proxy.KeptConnections}), bodies piped
 * both ways with back-pressure, hop-by-hop headers dropped and X-Forwarded-* set. Failures become JSON errors (502
 * when the instance fails, 504 on the function timeout) in general words with a ref; the details, the instance's
 * address among them, go with the outcome to the caller's failure notes; the exchange reports its outcome exactly once.
 */
@NullMarked
package io.pulse.dataplane.proxy;

import org.jspecify.annotations.NullMarked;
