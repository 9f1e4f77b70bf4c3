package io.pulse.dataplane;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** A real HTTP client for the tests, talking to the gateway on 127.0.0.1 with any Host header. */
final class TestHttp {

  record Reply(int status, MultiMap headers, Buffer body) {
    String text() {
      return body.toString();
    }

    JsonObject error() {
      return new JsonObject(body).getJsonObject("error");
    }

    @Nullable String instance() {
      return headers.get("X-Pulse-Instance");
    }
  }

  private final HttpClient client;
  private final int port;

  TestHttp(Vertx vertx, int port) {
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(200));
    this.port = port;
  }

  /** Path form, no body. */
  Reply get(String uri) {
    return await(send(HttpMethod.GET, uri, null, null));
  }

  Future<Reply> send(HttpMethod method, String uri, @Nullable String virtualHost, @Nullable Buffer body) {
    RequestOptions options = new RequestOptions().setMethod(method).setURI(uri)
        .setServer(SocketAddress.inetSocketAddress(port, "127.0.0.1"))
        .setHost(virtualHost != null ? virtualHost : "127.0.0.1").setPort(port);
    // The body handler must be attached in the same callback that receives the response (nested, not chained),
    // or the body may already have gone by.
    return client.request(options).compose(request -> (body == null ? request.send() : request.send(body))
        .compose(TestHttp::reply));
  }

  static Future<Reply> reply(io.vertx.core.http.HttpClientResponse response) {
    return response.body().map(b -> new Reply(response.statusCode(), response.headers(), b));
  }

  HttpClient client() {
    return client;
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("request failed: " + e, e);
    }
  }
}
