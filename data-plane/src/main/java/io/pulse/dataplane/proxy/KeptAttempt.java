package io.pulse.dataplane.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.impl.headers.HeadersAdaptor;
import io.vertx.core.http.impl.headers.Http1xHeaders;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One exchange's attempt on a kept-alive {@link InstanceConnection}: the request's head built straight into Netty's
 * message (the caller's headers copied once, into the map the encoder reads), its body through {@link Upload}, and the
 * answer relayed to the caller from the decoder's messages: a small answer with a Content-Length whole, in one write,
 * any other streamed with back-pressure (the connection stops reading while the caller's side is full). The
 * {@link Outcome} hears how it ended; after {@link #cancel} nothing more reaches the caller.
 */
final class KeptAttempt implements InstanceConnection.Listener, Upload.Sink {

  /** How the attempt ended; on the connection's event loop. */
  interface Outcome {

    /** The answer went to the caller ({@code ended} says whether its last write succeeded). */
    void relayed(int status, boolean keptAlive, AsyncResult<Void> ended);

    /** The connection failed before the head of an answer: nothing of one reached the caller. */
    void failedBeforeAnswer(Throwable cause);

    /** The connection failed during the answer. */
    void failedDuringAnswer(Throwable cause);
  }

  private final InstanceConnection connection;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final Outcome outcome;
  private @Nullable Handler<Void> drain;
  private boolean answered; // the head of the answer arrived
  private boolean keptAlive;
  private boolean hasBody;
  private boolean whole; // the body is held and sent in one write
  private @Nullable ByteBuf body;
  private int status;
  private boolean paused; // the connection stopped reading: the caller's side is full
  private boolean over;

  KeptAttempt(InstanceConnection connection, HttpServerRequest request, Outcome outcome) {
    this.connection = connection;
    this.request = request;
    this.response = request.response();
    this.outcome = outcome;
  }

  /** Sends the request's head, to {@code authority} (the instance's host:port), and its body from {@code upload}. */
  void send(String authority, String uri, Upload upload) {
    Http1xHeaders headers = Http1xHeaders.caseInsensitive();
    headers.set(HttpHeaderNames.HOST, authority);
    ProxyHeaders.toInstance(request, headers);
    if (!headers.contains(HttpHeaderNames.CONTENT_LENGTH) && ProxyExchange.hasUnsizedBody(request)) {
      headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    connection.send(new DefaultHttpRequest(io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
        request.method().toNetty(), uri, headers), this);
    if (!over) { // the write can fail at once, and the exchange go on elsewhere
      upload.sendTo(this);
    }
  }

  /** The exchange ended otherwise (deadline, client gone): nothing more goes to the caller from here. */
  void cancel() {
    over = true;
  }

  @Override
  public void write(Buffer chunk) {
    connection.write(new DefaultHttpContent(((BufferInternal) chunk).getByteBuf()));
  }

  @Override
  public boolean writeQueueFull() {
    return connection.writeQueueFull();
  }

  @Override
  public void drainHandler(Handler<Void> handler) {
    drain = handler;
  }

  @Override
  public void end() {
    connection.write(LastHttpContent.EMPTY_LAST_CONTENT);
  }

  @Override
  public void writable() {
    Handler<Void> handler = drain;
    if (handler != null) {
      drain = null;
      handler.handle(null);
    }
  }

  @Override
  public void head(HttpResponse head) {
    if (over) {
      return;
    }
    answered = true;
    status = head.status().code();
    String connectionHeader = head.headers().get(HttpHeaderNames.CONNECTION);
    keptAlive = head.protocolVersion() == io.netty.handler.codec.http.HttpVersion.HTTP_1_1
        && (connectionHeader == null || !connectionHeader.toLowerCase(Locale.ROOT).contains("close"));
    response.setStatusCode(status);
    response.setStatusMessage(head.status().reasonPhrase());
    MultiMap headers = response.headers();
    ProxyHeaders.toClient(new HeadersAdaptor(head.headers()), headers);
    String length = headers.get(HttpHeaders.CONTENT_LENGTH);
    hasBody = AnswerBody.mayHaveBody(request.method(), status);
    if (length == null && hasBody) {
      response.setChunked(true);
    }
    whole = hasBody && AnswerBody.small(length);
  }

  @Override
  public void content(ByteBuf content, boolean last) {
    if (over) {
      return;
    }
    if (content.isReadable() && hasBody) {
      // Copied: the decoder's buffer goes back to its pool after this call.
      if (whole) {
        ByteBuf held = body;
        if (held == null) {
          held = Unpooled.buffer(content.readableBytes());
          body = held;
        }
        held.writeBytes(content, content.readerIndex(), content.readableBytes());
      } else {
        response.write(BufferInternal.buffer(Unpooled.copiedBuffer(content)));
        if (!last && !paused && response.writeQueueFull()) {
          paused = true;
          connection.reading(false);
          response.drainHandler(v -> resume());
        }
      }
    }
    if (last) {
      over = true;
      resume(); // the connection may carry the next exchange
      ByteBuf held = body;
      body = null;
      int answeredStatus = status;
      boolean open = keptAlive;
      (held != null ? response.end(BufferInternal.buffer(held)) : response.end())
          .onComplete(ended -> outcome.relayed(answeredStatus, open, ended));
    }
  }

  private void resume() {
    if (paused) {
      paused = false;
      connection.reading(true);
    }
  }

  @Override
  public void failed(Throwable cause) {
    if (over) {
      return;
    }
    over = true;
    if (answered) {
      outcome.failedDuringAnswer(cause);
    } else {
      outcome.failedBeforeAnswer(cause);
    }
  }
}
