package io.pulse.common.http;

import io.pulse.common.tls.PemFiles;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import org.jspecify.annotations.Nullable;

/**
 * What every public HTTP listener of Pulse (the REST API, the gateway) is hardened with: optional TLS, a bound on the
 * size of the request line plus headers, and an idle timeout after which a silent connection is closed.
 *
 * @param tls certificate and key for HTTPS; null: plain HTTP
 * @param maxHeaderBytes largest request header block accepted (bigger ones are refused with 431; over HTTP/2 the
 *     header list is bounded alike)
 * @param idleTimeoutSeconds a connection that neither sends nor receives a byte this long is closed; 0: never
 */
public record ListenerOptions(@Nullable PemFiles tls, int maxHeaderBytes, int idleTimeoutSeconds) {

  /** Vert.x's (and Netty's) default header limit, made explicit. */
  public static final int DEFAULT_MAX_HEADER_BYTES = 8192;

  public ListenerOptions {
    if (maxHeaderBytes < 1024) {
      throw new IllegalArgumentException("maxHeaderBytes must be >= 1024, was " + maxHeaderBytes);
    }
    if (idleTimeoutSeconds < 0) {
      throw new IllegalArgumentException("idleTimeoutSeconds must be >= 0, was " + idleTimeoutSeconds);
    }
  }

  /** Plain HTTP, the default header limit, and this idle timeout. */
  public static ListenerOptions plain(int idleTimeoutSeconds) {
    return new ListenerOptions(null, DEFAULT_MAX_HEADER_BYTES, idleTimeoutSeconds);
  }

  public ListenerOptions withTls(@Nullable PemFiles value) {
    return new ListenerOptions(value, maxHeaderBytes, idleTimeoutSeconds);
  }

  public ListenerOptions withMaxHeaderBytes(int value) {
    return new ListenerOptions(tls, value, idleTimeoutSeconds);
  }

  public ListenerOptions withIdleTimeoutSeconds(int value) {
    return new ListenerOptions(tls, maxHeaderBytes, value);
  }

  /** "https" with TLS, else "http". */
  public String scheme() {
    return tls == null ? "http" : "https";
  }

  /** Applies these settings to {@code options} (and returns it). */
  public HttpServerOptions applyTo(HttpServerOptions options) {
    options.setMaxHeaderSize(maxHeaderBytes).setIdleTimeout(idleTimeoutSeconds);
    options.getInitialSettings().setMaxHeaderListSize(maxHeaderBytes); // the same bound for HTTP/2 (h2c)
    if (tls != null) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
          .setCertPath(tls.cert().toString()).setKeyPath(tls.key().toString()));
    }
    return options;
  }
}
