package io.pulse.dataplane.proxy;

import io.pulse.common.http.Authority;
import io.pulse.common.http.FailureRefs;
import io.pulse.dataplane.failures.PublicErrors;
import io.vertx.core.AsyncResult;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.util.Locale;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One proxied exchange. Confined to the event loop of the incoming request; every path ends in {@link #finish} once.
 * Its own 502 and 504 answers name neither the instance nor its address: those go with the ref into the outcome.
 * A request whose kept-alive connection closed before any answer goes again once on a fresh connection when
 * {@link Replay} allows it; one whose connection could not be made ends unanswered, for the caller to send elsewhere.
 * Its end-to-end limit is an entry in the event loop's {@link Deadlines}, and its end a plain callback: no timer and
 * no future of its own on the hot path.
 */
final class ProxyExchange extends Deadlines.Entry {

  /** Bodies up to this size, with a Content-Length, are relayed whole rather than piped. */
  static final long SMALL_BODY_BYTES = 64 * 1024;

  private final DeadlineSweeper deadlines;
  private final InstanceClients clients;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final ForwardTarget target;
  private final Consumer<Exchanged> done;
  private final Upload upload;
  private @Nullable HttpClientRequest toInstance;
  private KeptConnections.@Nullable Kept kept; // the kept-alive connection of this attempt, if it has one
  private boolean keptAlive; // the instance's answer leaves its connection open
  private boolean reusable; // the exchange ended cleanly on a connection left open: it can carry the next one
  private boolean replayed;
  private boolean finished;

  /** {@code done} runs once, on the request's event loop, when the exchange is over. */
  ProxyExchange(DeadlineSweeper deadlines, InstanceClients clients, HttpServerRequest request, ForwardTarget target,
      Consumer<Exchanged> done) {
    this.deadlines = deadlines;
    this.clients = clients;
    this.request = request;
    this.upload = new Upload(request, this::uploadBroken);
    this.response = request.response();
    this.target = target;
    this.done = done;
  }

  void run() {
    if (response.closed()) {
      finish(Forwarder.CLIENT_CLOSED, null);
      return;
    }
    deadlines.schedule(this, target.timeoutMillis());
    response.closeHandler(v -> clientGone());
    if (clients.closes(target.instance().id())) {
      attempt(clients.fresh(), false);
    } else {
      clients.acquire(target.instance(), ar -> {
        if (ar.failed()) {
          notConnected(ar.cause());
        } else if (finished) {
          clients.release(ar.result(), true); // nothing went on it
        } else {
          kept = ar.result();
          attempt(kept.connection(), kept.reused());
        }
      });
    }
  }

  private void attempt(HttpClient client, boolean reused) {
    RequestOptions options = new RequestOptions()
        .setMethod(request.method())
        .setHost(target.instance().host())
        .setPort(target.instance().port())
        .setURI(target.uri());
    client.request(options).onComplete(ar -> {
      if (ar.failed()) {
        notConnected(ar.cause());
      } else if (finished) {
        ar.result().reset();
      } else {
        send(ar.result(), reused);
      }
    });
  }

  private void send(HttpClientRequest outgoing, boolean reused) {
    toInstance = outgoing;
    // Straight into the request's own headers: no intermediate map to copy again.
    // The Host header as sent (HTTP/1.1), not the authority parsed and printed again; HTTP/2 has only :authority.
    String host = request.getHeader(HttpHeaders.HOST);
    ProxyHeaders.toInstance(request.headers(), outgoing.headers(), host != null ? host : Authority.of(request),
        request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(),
        request.scheme() == null ? "http" : request.scheme());
    if (!outgoing.headers().contains(HttpHeaders.CONTENT_LENGTH) && hasUnsizedBody(request)) {
      outgoing.setChunked(true);
    }
    outgoing.response().onComplete(ar -> {
      if (ar.succeeded()) {
        relay(ar.result());
        return;
      }
      if (!finished && reused && Replay.staleConnection(ar.cause(), !upload.replayable())) {
        clients.closesConnections(target.instance().id());
      }
      if (!finished && Replay.after(ar.cause(), true, replayed || target.retried(), reused,
          !upload.replayable(), Replay.idempotent(request.method())) == Replay.Next.FRESH_CONNECTION) {
        replay();
      } else {
        instanceFailed(ar.cause());
      }
    });
    upload.sendTo(outgoing);
  }

  /**
   * No connection to the instance: nothing of the request went out. Unless the request had its extra attempt, the
   * exchange ends unanswered (and the body unread) so that the caller sends it to another instance.
   */
  private void notConnected(Throwable cause) {
    Replay.Next next = finished || response.closed() ? Replay.Next.NONE
        : Replay.after(cause, false, replayed || target.retried(), false, false, false);
    if (next == Replay.Next.FRESH_CONNECTION) {
      replay();
      return;
    }
    if (next != Replay.Next.ANOTHER_INSTANCE) {
      instanceFailed(cause);
      return;
    }
    upload.hold();
    finish(0, new Exchanged.Failure(FailureRefs.newRef(), "forward", "instance " + target.instance().describe()
        + " could not be reached (" + cause.getMessage() + "); the request goes to another instance"), true);
  }

  /** The same request again on a connection of its own (once: the body has not gone yet). */
  private void replay() {
    upload.hold();
    replayed = true;
    giveBackConnection();
    attempt(clients.fresh(), false);
  }

  /** The caller's upload broke: the instance must see a broken request, not a short one. */
  private void uploadBroken() {
    if (!finished && toInstance != null) {
      toInstance.reset();
    }
  }

  private void relay(HttpClientResponse fromInstance) {
    if (finished) {
      return;
    }
    int status = fromInstance.statusCode();
    String connection = fromInstance.getHeader(HttpHeaders.CONNECTION);
    keptAlive = fromInstance.version() == HttpVersion.HTTP_1_1
        && (connection == null || !connection.toLowerCase(Locale.ROOT).contains("close"));
    response.setStatusCode(status);
    if (fromInstance.statusMessage() != null) {
      response.setStatusMessage(fromInstance.statusMessage());
    }
    MultiMap headers = response.headers();
    ProxyHeaders.toClient(fromInstance.headers(), headers);
    String length = headers.get(HttpHeaders.CONTENT_LENGTH);
    if (length == null && mayHaveBody(status)) {
      response.setChunked(true);
    }
    if (mayHaveBody(status) && small(length)) {
      // Head and body in one write: no pipe to set up, one flush instead of one per part.
      fromInstance.body().onComplete(body -> {
        if (body.failed()) {
          instanceFailed(body.cause());
        } else if (!finished) {
          response.end(body.result()).onComplete(ended -> relayed(status, ended));
        }
      });
    } else {
      fromInstance.pipe().endOnFailure(false).to(response).onComplete(ended -> relayed(status, ended));
    }
  }

  private void relayed(int status, AsyncResult<Void> ended) {
    if (ended.succeeded()) {
      // Both messages over (the caller's body too): the connection can carry the next exchange.
      reusable = keptAlive && upload.ended();
      finish(status, null);
    } else {
      instanceFailed(ended.cause());
    }
  }

  private void instanceFailed(Throwable cause) {
    if (finished) {
      return;
    }
    if (response.closed()) {
      clientGone();
      return;
    }
    boolean refused = Replay.notConnected(cause);
    abort(502, "function '" + target.function() + "' failed: its instance "
        + (refused ? "refused the connection" : "dropped the exchange"),
        new Exchanged.Failure(FailureRefs.newRef(), "forward", "instance " + target.instance().describe()
            + (refused ? " refused the connection" : " failed: " + cause)
            + (replayed ? " (on a fresh connection, after its kept-alive one closed)" : "")));
  }

  @Override
  void expired() {
    if (!finished) {
      abort(504, "function '" + target.function() + "' did not answer within " + target.timeoutMillis() + " ms",
          new Exchanged.Failure(FailureRefs.newRef(), "timeout", "instance " + target.instance().describe()
              + " gave no answer within " + target.timeoutMillis() + " ms"));
    }
  }

  private void clientGone() {
    if (!finished) {
      abort(Forwarder.CLIENT_CLOSED, null, null);
    }
  }

  /**
   * Ends the exchange early: cuts the instance's side and answers the client with {@code message} and the failure's
   * ref if still possible.
   */
  private void abort(int status, @Nullable String message, Exchanged.@Nullable Failure failure) {
    finish(status, failure); // first, so that the failures the reset below triggers find the exchange already over
    if (toInstance != null) {
      toInstance.reset();
    }
    UnreadBody.discardThen(request, () -> {
      if (message != null && failure != null) {
        PublicErrors.send(response, status, message, failure.ref());
      }
    });
  }

  private void finish(int status, Exchanged.@Nullable Failure failure) {
    finish(status, failure, false);
  }

  private void finish(int status, Exchanged.@Nullable Failure failure, boolean refused) {
    if (finished) {
      return;
    }
    finished = true;
    deadlines.cancel(this);
    giveBackConnection();
    done.accept(new Exchanged(status, failure, refused));
  }

  /** Returns the attempt's kept-alive connection: for the next exchange if this one ended cleanly, else closed. */
  private void giveBackConnection() {
    KeptConnections.Kept connection = kept;
    if (connection != null) {
      kept = null;
      clients.release(connection, reusable);
    }
  }

  /** A Content-Length small enough to hold the body in memory for a moment. */
  private static boolean small(@Nullable String length) {
    if (length == null || length.length() > 6) {
      return false;
    }
    try {
      long bytes = Long.parseLong(length.trim());
      return bytes >= 0 && bytes <= SMALL_BODY_BYTES;
    } catch (NumberFormatException e) {
      return false;
    }
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
