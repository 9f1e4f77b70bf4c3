package io.pulse.controlplane.api;

import io.pulse.common.http.JsonErrors;
import io.pulse.common.net.HostPort;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a follower's write to the leader on the caller's behalf and answers with the leader's answer, so that a client
 * talking to any replica need not retry. The caller's token goes along (the leader checks it again and audits the
 * write); the request carries {@link WriteRoute#FORWARDED_BY}, so it is never forwarded twice. The body (at most the
 * API's 1 MiB) is read whole first. Every replica serves REST alike: with TLS on it, the write goes over HTTPS and the
 * leader's certificate is checked (chain and host name) against the replicas' CA ({@code --tls-peer-ca}) or, without
 * one, the JVM's trust store; a leader that fails the check is not sent the caller's token, and the caller gets 503.
 */
public final class LeaderForwarder implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LeaderForwarder.class);
  private static final long TIMEOUT_MILLIS = 8_000;
  /** What goes to the leader besides method, path and body; hop-by-hop headers and Expect stay here. */
  private static final List<CharSequence> REQUEST_HEADERS = List.of(HttpHeaders.AUTHORIZATION,
      HttpHeaders.CONTENT_TYPE, HttpHeaders.ACCEPT);
  /** The API's own limit (1 MiB); a larger body is refused here instead of being held in memory. */
  private static final int MAX_BODY_BYTES = 1024 * 1024;
  private static final List<CharSequence> RESPONSE_HEADERS = List.of(HttpHeaders.CONTENT_TYPE,
      HttpHeaders.LOCATION, "Retry-After");

  private final HttpClient client;
  private final String selfId;
  private final String scheme;

  /**
   * @param tls whether the replicas serve REST over TLS
   * @param peerCa with {@code tls}: the CA that signed the replicas' REST certificates; null: the JVM's trust store
   */
  public LeaderForwarder(Vertx vertx, String selfId, boolean tls, @Nullable Path peerCa) {
    HttpClientOptions options = new HttpClientOptions().setKeepAlive(true);
    if (tls) {
      options.setSsl(true).setVerifyHost(true);
      if (peerCa != null) {
        options.setTrustOptions(new PemTrustOptions().addCertPath(peerCa.toString()));
      }
    }
    this.client = vertx.createHttpClient(options);
    this.selfId = selfId;
    this.scheme = tls ? "https://" : "http://";
  }

  /** Answers {@code ctx} with the leader's answer to the same request, or 503 when the leader does not answer. */
  public void forward(RoutingContext ctx, WriteRoute.Forward to) {
    HttpServerRequest in = ctx.request();
    String leaderUrl = scheme + to.restAddress();
    HostPort leader = HostPort.parse(to.restAddress());
    RequestOptions options = new RequestOptions().setMethod(in.method()).setHost(leader.host())
        .setPort(leader.port()).setURI(in.uri()).setIdleTimeout(TIMEOUT_MILLIS);
    REQUEST_HEADERS.forEach(name -> {
      String value = in.getHeader(name);
      if (value != null) {
        options.putHeader(name, value);
      }
    });
    options.putHeader(WriteRoute.FORWARDED_BY, selfId);
    if ("100-continue".equalsIgnoreCase(in.getHeader(HttpHeaders.EXPECT))) {
      ctx.response().writeContinue(); // the body comes from the client only once told to go on
    }
    body(in).compose(body -> client.request(options).compose(out -> out.send(body)))
        .compose(answer -> answer.body().map(body -> {
          ctx.response().setStatusCode(answer.statusCode());
          RESPONSE_HEADERS.forEach(name -> {
            String value = answer.getHeader(name);
            if (value != null) {
              ctx.response().putHeader(name, value);
            }
          });
          ctx.response().putHeader("Pulse-Leader", leaderUrl);
          return body;
        }))
        .onSuccess(body -> ctx.response().end(body))
        .onFailure(failure -> {
          if (failure instanceof ApiException tooLarge) {
            JsonErrors.send(ctx.response(), tooLarge.status(), tooLarge.getMessage());
            return;
          }
          LOG.atWarn().setMessage("write not forwarded: the leader did not answer").addKeyValue("leader", to.leaderId())
              .addKeyValue("address", to.restAddress()).addKeyValue("error", String.valueOf(failure.getMessage()))
              .log();
          if (!ctx.response().headWritten()) {
            ctx.response().putHeader("Retry-After", "1").putHeader("Pulse-Leader", leaderUrl);
            JsonErrors.send(ctx.response(), 503, "the leader " + to.leaderId() + " at " + to.restAddress()
                + " did not answer this forwarded write (" + failure.getMessage() + "); retry in a second");
          } else {
            ctx.response().reset();
          }
        });
  }

  /** The whole request body (bounded), read as {@link JsonBody} reads it. */
  private static Future<Buffer> body(HttpServerRequest in) {
    Promise<Buffer> done = Promise.promise();
    Buffer collected = Buffer.buffer();
    in.handler(chunk -> {
      if (collected.length() + chunk.length() > MAX_BODY_BYTES) {
        done.tryFail(new ApiException(413, "request body larger than " + MAX_BODY_BYTES + " bytes"));
      } else {
        collected.appendBuffer(chunk);
      }
    });
    in.endHandler(v -> done.tryComplete(collected));
    in.exceptionHandler(done::tryFail);
    in.resume();
    return done.future();
  }

  @Override
  public void close() {
    client.close();
  }
}
