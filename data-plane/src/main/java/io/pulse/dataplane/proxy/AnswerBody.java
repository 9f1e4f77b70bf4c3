package io.pulse.dataplane.proxy;

import io.vertx.core.http.HttpMethod;
import org.jspecify.annotations.Nullable;

/** How an instance's answer is relayed: whether it has a body at all, and whether that body is small enough to hold. */
final class AnswerBody {

  /** Bodies up to this size, with a Content-Length, are relayed whole rather than piped. */
  static final long SMALL_BODY_BYTES = 64 * 1024;

  private AnswerBody() {}

  /** RFC 9110 §6.4.1: no body in an answer to HEAD, nor in a 1xx, 204 or 304. */
  static boolean mayHaveBody(HttpMethod method, int status) {
    return method != HttpMethod.HEAD && status >= 200 && status != 204 && status != 304;
  }

  /** A Content-Length small enough to hold the body in memory for a moment. */
  static boolean small(@Nullable String length) {
    if (length == null || length.length() > 6) {
      return false;
    }
    try {
      long bytes = Long.parseLong(length.trim());
      return bytes >= 0 && bytes <= SMALL_BODY_BYTES;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
