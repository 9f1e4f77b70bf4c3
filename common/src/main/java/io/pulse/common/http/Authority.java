package io.pulse.common.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import org.jspecify.annotations.Nullable;

/** The host (and port) a request is for, whatever the protocol carries it in. */
public final class Authority {

  private Authority() {}

  /**
   * {@code host[:port]} from the Host header (HTTP/1.x) or the {@code :authority} pseudo-header (HTTP/2, which has
   * no Host header); null when the request names none.
   */
  public static @Nullable String of(HttpServerRequest request) {
    HostAndPort authority = request.authority();
    return authority == null ? null : authority.toString();
  }
}
