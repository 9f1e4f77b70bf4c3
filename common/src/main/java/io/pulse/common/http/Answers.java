package io.pulse.common.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * A whole answer with its length declared. Vert.x leaves Content-Length out of an answer to HEAD when it is not set
 * explicitly; set, it is the same as for GET, as RFC 9110 section 9.3.2 would have it.
 */
public final class Answers {

  private Answers() {}

  public static Future<Void> json(HttpServerResponse response, int status, JsonObject body) {
    return send(response.setStatusCode(status), "application/json", Buffer.buffer(body.encode()));
  }

  public static Future<Void> send(HttpServerResponse response, String contentType, Buffer body) {
    response.putHeader(HttpHeaders.CONTENT_TYPE, contentType);
    if (!response.isChunked()) { // a proxied answer may have chosen chunked before it failed
      response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length()));
    }
    return response.end(body);
  }
}
