package io.pulse.common.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import org.jspecify.annotations.Nullable;

/**
 * Requests the HTTP decoder could not read (a request line or header block over the limit, a malformed line) are
 * answered in the JSON error shape, like Vert.x's default handler otherwise does with an empty body: 414, 431 or
 * 400, and the connection is closed (the rest of its bytes cannot be trusted to start a request).
 */
public final class InvalidRequests {

  private InvalidRequests() {}

  /** Installs the JSON answer on {@code server} and returns it. */
  public static HttpServer answerWithJson(HttpServer server) {
    return server.invalidRequestHandler(InvalidRequests::answer);
  }

  static void answer(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status = statusOf(cause);
    String detail = cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage();
    String message = switch (status) {
      case 414 -> "request line too long" + detail;
      case 431 -> "request header fields too large" + detail;
      default -> "malformed request" + detail;
    };
    request.response().putHeader("Connection", "close");
    JsonErrors.send(request.response(), status, message).onComplete(ar -> request.connection().close());
  }

  /** The status for a decoding failure, as Vert.x's default handler chooses it. */
  static int statusOf(@Nullable Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return 414;
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return 431;
    }
    return 400;
  }
}
