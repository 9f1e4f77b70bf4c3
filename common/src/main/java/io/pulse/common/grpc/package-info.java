/** gRPC servers, channels and the bridge between grpc-java observers and Vert.x futures. */
@NullMarked
package io.pulse.common.grpc;

import org.jspecify.annotations.NullMarked;
