/**
 * The reverse proxy from the gateway to one instance: Vert.x core HTTP client with a keep-alive pool, bodies piped
 * both ways with back-pressure, hop-by-hop headers dropped and X-Forwarded-* set. Failures become JSON errors (502
 * naming the instance, 504 on the function timeout); the exchange reports its outcome exactly once.
 */
@NullMarked
package io.pulse.dataplane.proxy;

import org.jspecify.annotations.NullMarked;
