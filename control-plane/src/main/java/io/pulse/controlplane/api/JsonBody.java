package io.pulse.controlplane.api;

import io.pulse.common.http.DeclaredLength;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a request body of at most {@link #MAX_BYTES} and decodes it as a JSON object, whatever the Content-Type says.
 * An oversized body is answered with 413 as soon as it is detected, while the rest is read and dropped so the
 * connection stays usable; a client that keeps sending far beyond the limit gets its connection closed.
 */
final class JsonBody {

  static final int MAX_BYTES = 1 << 20;

  /** How much of an oversized body is drained before the connection is cut instead. */
  private static final long MAX_DRAINED_BYTES = 64L * MAX_BYTES;

  private static final Pattern JACKSON_LOCATION = Pattern.compile("line: (\\d+), column: (\\d+)");

  private JsonBody() {}

  /** Fails with an {@link ApiException} (400 or 413) for a body that is not a JSON object of acceptable size. */
  static Future<JsonObject> read(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    Promise<JsonObject> promise = Promise.promise();
    Collector collector = new Collector(promise, request);
    boolean expectsContinue = "100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT));
    if (DeclaredLength.of(request) > MAX_BYTES) {
      if (expectsContinue) {
        // The client waits for our verdict before sending the body; refuse and end the exchange without it.
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
      }
      collector.overflow();
    } else if (expectsContinue) {
      // curl sends "Expect: 100-continue" for bodies over 1 KiB and would otherwise wait a second before sending.
      // A second 100 (when the server also answers it automatically) is allowed by HTTP and harmless.
      ctx.response().writeContinue();
    }
    request.handler(collector::append);
    request.endHandler(ignored -> collector.end());
    request.exceptionHandler(promise::tryFail);
    request.resume();
    return promise.future();
  }

  static JsonObject decode(Buffer body) {
    if (body.length() == 0) {
      throw new ApiException(400, "request body is empty; expected a JSON object");
    }
    Object value;
    try {
      value = Json.decodeValue(body);
    } catch (DecodeException e) {
      throw new ApiException(400, "malformed JSON: " + describe(e));
    }
    if (!(value instanceof JsonObject object)) {
      throw new ApiException(400, "request body must be a JSON object, got " + typeOf(value));
    }
    return object;
  }

  /** Jackson's first message line, without its source dump, plus where the problem is. */
  private static String describe(DecodeException e) {
    String message = e.getMessage() == null ? "cannot decode" : e.getMessage();
    String firstLine = message.lines().findFirst().orElse(message).replaceFirst("^Failed to decode:\\s*", "");
    Matcher location = JACKSON_LOCATION.matcher(message);
    return location.find()
        ? firstLine + " (line " + location.group(1) + ", column " + location.group(2) + ")"
        : firstLine;
  }

  private static String typeOf(Object value) {
    return switch (value) {
      case null -> "null";
      case JsonArray a -> "an array";
      case String s -> "a string";
      case Number n -> "a number";
      case Boolean b -> "a boolean";
      default -> value.getClass().getSimpleName();
    };
  }

  /** Accumulates chunks on the request's event loop; no other thread touches it. */
  private static final class Collector {
    private final Promise<JsonObject> promise;
    private final HttpServerRequest request;
    private Buffer body = Buffer.buffer();
    private long received;
    private boolean overflowed;

    Collector(Promise<JsonObject> promise, HttpServerRequest request) {
      this.promise = promise;
      this.request = request;
    }

    void overflow() {
      overflowed = true;
      body = Buffer.buffer();
      promise.tryFail(new ApiException(413, "request body exceeds " + MAX_BYTES + " bytes"));
    }

    void append(Buffer chunk) {
      received += chunk.length();
      if (overflowed) {
        if (received > MAX_DRAINED_BYTES) {
          request.connection().close();
        }
        return;
      }
      if (received > MAX_BYTES) {
        overflow();
        return;
      }
      body.appendBuffer(chunk);
    }

    void end() {
      if (overflowed) {
        return;
      }
      try {
        promise.tryComplete(decode(body));
      } catch (ApiException e) {
        promise.tryFail(e);
      }
    }
  }
}
