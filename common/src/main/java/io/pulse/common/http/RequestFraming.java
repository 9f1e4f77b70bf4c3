package io.pulse.common.http;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.WeakHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Where an HTTP/1.x request's body ends, checked before anything acts on the request (RFC 9112 section 6). Netty
 * reads a body as chunked when any coding is named {@code chunked} and as empty when none is: a request framed any
 * other way ({@code Transfer-Encoding: gzip}, {@code chunked;q=1}, {@code chunked, gzip}) is parsed differently by
 * us and by whatever stands in front of us, and the bytes after its headers would become a second, smuggled
 * request. Such a request is refused and its connection closed, so that nothing after it is read.
 */
public final class RequestFraming {

  /** Why a request's framing is refused: the status (400, or 501 for a coding we do not implement) and a message. */
  public record Refusal(int status, String message) {}

  private static final String CHUNKED = "chunked";

  private RequestFraming() {}

  /**
   * The refusal of a request with these framing headers, or null when its framing is sound: no Transfer-Encoding,
   * or exactly the one coding {@code chunked}, without Content-Length.
   *
   * @param transferEncodings every Transfer-Encoding header value, in order
   */
  public static @Nullable Refusal check(HttpVersion version, List<String> transferEncodings,
      boolean hasContentLength) {
    if (transferEncodings.isEmpty() || version == HttpVersion.HTTP_2) {
      return null; // HTTP/2 frames bodies itself; its codec refuses Transfer-Encoding
    }
    if (version == HttpVersion.HTTP_1_0) {
      return new Refusal(400, "Transfer-Encoding is not allowed in an HTTP/1.0 request");
    }
    if (hasContentLength) {
      return new Refusal(400, "a request must not have both Transfer-Encoding and Content-Length");
    }
    List<String> codings = codings(transferEncodings);
    if (codings.isEmpty() || !codings.getLast().equals(CHUNKED)) {
      return new Refusal(400, "the final transfer coding of a request must be chunked, got Transfer-Encoding: "
          + String.join(", ", codings));
    }
    List<String> before = codings.subList(0, codings.size() - 1);
    if (before.contains(CHUNKED)) {
      return new Refusal(400, "chunked must be applied only once, got Transfer-Encoding: "
          + String.join(", ", codings));
    }
    if (!before.isEmpty()) {
      // We would pass the body on still encoded, with nothing telling the function so.
      return new Refusal(501, "transfer coding '" + before.getFirst() + "' is not supported; send the body "
          + "with Transfer-Encoding: chunked alone");
    }
    return null;
  }

  /**
   * The adapter for one HTTP server on one event loop (its connections never leave it; not thread-safe): refuses a
   * request whose framing is unsound with the JSON error, then closes the connection. A request Vert.x already read
   * behind it on that connection (pipelined: exactly the smuggled one) is dropped unanswered.
   */
  public static final class Gate {

    private final Set<HttpConnection> closing = Collections.newSetFromMap(new WeakHashMap<>());

    /** True when {@code request} was refused (answered or dropped); the caller then leaves it alone. */
    public boolean refuse(HttpServerRequest request) {
      HttpConnection connection = request.connection();
      if (closing.contains(connection)) {
        connection.close();
        return true;
      }
      Refusal refusal = check(request.version(), request.headers().getAll(HttpHeaders.TRANSFER_ENCODING),
          request.headers().contains(HttpHeaders.CONTENT_LENGTH));
      if (refusal == null) {
        return false;
      }
      closing.add(connection);
      request.response().putHeader(HttpHeaders.CONNECTION, "close");
      JsonErrors.send(request.response(), refusal.status(), refusal.message(), "Transfer-Encoding")
          .onComplete(ar -> connection.close());
      return true;
    }
  }

  /** The coding names in order, lower case, parameters kept (a parameter on chunked makes it another coding). */
  private static List<String> codings(List<String> headerValues) {
    List<String> codings = new ArrayList<>();
    for (String value : headerValues) {
      for (String element : value.split(",", -1)) {
        String coding = element.strip().toLowerCase(Locale.ROOT);
        if (!coding.isEmpty()) { // empty list elements are allowed and mean nothing (RFC 9110 section 5.6.1)
          codings.add(coding);
        }
      }
    }
    return codings;
  }
}
