package io.pulse.common.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/** The body size a request announces, so that oversized bodies are refused before a byte of them is read. */
public final class DeclaredLength {

  private DeclaredLength() {}

  /** The Content-Length header's value, or -1 when absent or malformed (chunked bodies are counted as they come). */
  public static long of(HttpServerRequest request) {
    String header = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (header == null) {
      return -1;
    }
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
