/**
 * What every Pulse component shares and nothing more: admin endpoints, gRPC plumbing between Vert.x and grpc-java,
 * host:port parsing. Domain logic never lives here.
 */
@NullMarked
package io.pulse.common;

import org.jspecify.annotations.NullMarked;
