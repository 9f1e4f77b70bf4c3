package io.pulse.dataplane.proxy;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answering a request whose body nobody will read. The body is read and dropped first and the answer goes out once
 * it has ended: the connection stays usable and a client still sending is never answered mid-upload (closing with
 * unread input makes the kernel reset the connection, which can destroy the answer on its way, and some clients
 * mishandle an early answer). A body beyond a cap is not worth draining: then the answer goes at once and the
 * connection closes after it.
 */
public final class UnreadBody {

  static final long DRAIN_CAP_BYTES = 1024 * 1024;

  private UnreadBody() {}

  /** Drops the rest of the body, then runs {@code answer} (on the request's event loop). */
  public static void discardThen(HttpServerRequest request, Runnable answer) {
    if (request.isEnded()) {
      answer.run();
      return;
    }
    boolean[] answered = {false};
    Runnable answerOnce = () -> {
      if (!answered[0]) {
        answered[0] = true;
        answer.run();
      }
    };
    Runnable answerAndClose = () -> {
      if (!answered[0]) {
        // HTTP/2 forbids connection headers (a client refuses the whole answer); its stream ends on its own. A head
        // already sent (an exchange cut after the instance began answering) cannot take one: the answer then cuts
        // the response instead.
        if (request.version() != io.vertx.core.http.HttpVersion.HTTP_2 && !request.response().headWritten()) {
          request.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        answerOnce.run();
      }
    };
    String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (declared != null && parse(declared) > DRAIN_CAP_BYTES) {
      answerAndClose.run();
    }
    long[] dropped = {0};
    request.handler(chunk -> {
      dropped[0] += chunk.length();
      if (dropped[0] > DRAIN_CAP_BYTES) {
        answerAndClose.run();
      }
    });
    request.endHandler(v -> answerOnce.run());
    request.resume();
  }

  private static long parse(String length) {
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
