package io.pulse.dataplane.proxy;

import io.pulse.common.http.Authority;
import io.pulse.common.http.JsonErrors;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.net.ConnectException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxied exchange. Confined to the event loop of the incoming request; every path ends in {@link #finish} once.
 */
final class ProxyExchange {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyExchange.class);

  private final Vertx vertx;
  private final HttpClient client;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final ForwardTarget target;
  private final Promise<Integer> done = Promise.promise();
  private @Nullable HttpClientRequest toInstance;
  private long timer = -1;
  private boolean finished;

  ProxyExchange(Vertx vertx, HttpClient client, HttpServerRequest request, ForwardTarget target) {
    this.vertx = vertx;
    this.client = client;
    this.request = request;
    this.response = request.response();
    this.target = target;
  }

  Future<Integer> run() {
    if (response.closed()) {
      finish(Forwarder.CLIENT_CLOSED);
      return done.future();
    }
    timer = vertx.setTimer(target.timeoutMillis(), id -> timedOut());
    response.closeHandler(v -> clientGone());
    RequestOptions options = new RequestOptions()
        .setMethod(request.method())
        .setHost(target.instance().host())
        .setPort(target.instance().port())
        .setURI(target.uri())
        .setHeaders(ProxyHeaders.toInstance(request.headers(), Authority.of(request),
            request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(),
            request.scheme() == null ? "http" : request.scheme()));
    client.request(options).onComplete(ar -> {
      if (ar.failed()) {
        instanceFailed(ar.cause());
      } else if (finished) {
        ar.result().reset();
      } else {
        send(ar.result());
      }
    });
    return done.future();
  }

  private void send(HttpClientRequest outgoing) {
    toInstance = outgoing;
    if (!outgoing.headers().contains(HttpHeaders.CONTENT_LENGTH) && hasUnsizedBody(request)) {
      outgoing.setChunked(true);
    }
    outgoing.response().onComplete(ar -> {
      if (ar.succeeded()) {
        relay(ar.result());
      } else {
        instanceFailed(ar.cause());
      }
    });
    // endOnFailure(false): if the client's upload breaks, the instance must see a broken request, not a short one.
    request.pipe().endOnFailure(false).to(outgoing).onFailure(e -> {
      if (!finished) {
        outgoing.reset();
      }
    });
  }

  private void relay(HttpClientResponse fromInstance) {
    if (finished) {
      return;
    }
    int status = fromInstance.statusCode();
    response.setStatusCode(status);
    if (fromInstance.statusMessage() != null) {
      response.setStatusMessage(fromInstance.statusMessage());
    }
    MultiMap headers = ProxyHeaders.toClient(fromInstance.headers());
    response.headers().addAll(headers);
    if (!headers.contains(HttpHeaders.CONTENT_LENGTH) && mayHaveBody(status)) {
      response.setChunked(true);
    }
    fromInstance.pipe().endOnFailure(false).to(response).onComplete(ar -> {
      if (ar.succeeded()) {
        finish(status);
      } else {
        instanceFailed(ar.cause());
      }
    });
  }

  private void instanceFailed(Throwable cause) {
    if (finished) {
      return;
    }
    if (response.closed()) {
      clientGone();
      return;
    }
    String what = cause instanceof ConnectException ? "refused the connection" : "failed: " + cause.getMessage();
    LOG.atWarn().setMessage("instance failed").addKeyValue("function", target.function())
        .addKeyValue("instance", target.instance().describe()).addKeyValue("cause", String.valueOf(cause)).log();
    abort(502, "instance " + target.instance().describe() + " of function '" + target.function() + "' " + what);
  }

  private void timedOut() {
    if (!finished) {
      abort(504, "function '" + target.function() + "' did not answer within " + target.timeoutMillis()
          + " ms (instance " + target.instance().describe() + ")");
    }
  }

  private void clientGone() {
    if (!finished) {
      abort(Forwarder.CLIENT_CLOSED, null);
    }
  }

  /** Ends the exchange early: cuts the instance's side and answers the client with {@code error} if still possible. */
  private void abort(int status, @Nullable String error) {
    finish(status); // first, so that the failures the reset below triggers find the exchange already over
    if (toInstance != null) {
      toInstance.reset();
    }
    UnreadBody.discardThen(request, () -> {
      if (error != null) {
        JsonErrors.send(response, status, error);
      }
    });
  }

  private void finish(int status) {
    if (finished) {
      return;
    }
    finished = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    done.complete(status);
  }

  private boolean mayHaveBody(int status) {
    return request.method() != HttpMethod.HEAD && status >= 200 && status != 204 && status != 304;
  }

  /** A body of unannounced length: chunked over HTTP/1.1 (framing checked at intake); over HTTP/2 any body. */
  private static boolean hasUnsizedBody(HttpServerRequest request) {
    if (request.version() == HttpVersion.HTTP_2) {
      return !request.isEnded();
    }
    return request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
  }
}
