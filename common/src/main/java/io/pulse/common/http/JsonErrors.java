package io.pulse.common.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import org.jspecify.annotations.Nullable;

/**
 * The one error shape of every Pulse HTTP surface:
 * {@code {"error": {"status": 400, "message": "...", "field": "scaling.maxScale"}}}. {@code field} is present when the
 * error is about one field of the input.
 */
public final class JsonErrors {

  private JsonErrors() {}

  public static JsonObject body(int status, String message, @Nullable String field) {
    JsonObject error = new JsonObject().put("status", status).put("message", message);
    if (field != null) {
      error.put("field", field);
    }
    return new JsonObject().put("error", error);
  }

  public static Future<Void> send(HttpServerResponse response, int status, String message, @Nullable String field) {
    return send(response, status, body(status, message, field));
  }

  /** Sends a {@link #body} the caller added to (a list of reasons, say). */
  public static Future<Void> send(HttpServerResponse response, int status, JsonObject body) {
    if (response.headWritten()) {
      // Too late for a status line; cut the response so the client sees the failure.
      response.reset();
      return Future.succeededFuture();
    }
    return Answers.json(response, status, body);
  }

  public static Future<Void> send(HttpServerResponse response, int status, String message) {
    return send(response, status, message, null);
  }
}
