package io.pulse.dataplane.failures;

import io.pulse.common.http.JsonErrors;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * The caller's side of a failure: the usual error shape, a message in general words ending with the ref, and the ref
 * on its own: {@code {"error": {"status": 502, "message": "... (ref 3f2a...)", "ref": "3f2a..."}}}.
 */
public final class PublicErrors {

  private PublicErrors() {}

  public static JsonObject body(int status, String message, String ref) {
    JsonObject body = JsonErrors.body(status, message + " (ref " + ref + ")", null);
    body.getJsonObject("error").put("ref", ref);
    return body;
  }

  public static Future<Void> send(HttpServerResponse response, int status, String message, String ref) {
    if (response.headWritten()) {
      response.reset(); // too late for a status line: cut the response so the client sees the failure
      return Future.succeededFuture();
    }
    return response.setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(body(status, message, ref).encode());
  }
}
