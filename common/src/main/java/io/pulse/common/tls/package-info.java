/**
 * Certificates and keys as Pulse's components take them: PEM files named on the command line, turned into the TLS
 * settings of HTTP listeners, of gRPC servers and channels (mutual TLS between components), and into the trust of
 * plain JDK HTTP clients. Files are read when a listener or channel is built, never on an event loop's hot path.
 */
@NullMarked
package io.pulse.common.tls;

import org.jspecify.annotations.NullMarked;
