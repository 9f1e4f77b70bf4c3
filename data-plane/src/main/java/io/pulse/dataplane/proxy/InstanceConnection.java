package io.pulse.dataplane.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.ConnectionBase;
import org.jspecify.annotations.Nullable;

/**
 * A kept-alive HTTP/1.1 connection to an instance, driven through Netty directly: the request's head and body go to
 * the channel as Netty messages, and the answer comes back as the decoder's messages to one {@link Listener}, with no
 * Vert.x client request, response or future in between. The socket is made by a Vert.x {@link NetClient} (name
 * resolution, transport, connect timeout); an HTTP codec and this handler then go in front of Vert.x's own handler,
 * which sees only the close. One exchange at a time; use from the connection's event loop only.
 */
final class InstanceConnection extends ChannelInboundHandlerAdapter {

  /** What the exchange on the connection hears, on its event loop. */
  interface Listener {

    /** The head of the final answer (informational ones are skipped). */
    void head(HttpResponse head);

    /** A piece of the answer's body ({@code last}: the answer is complete); {@code content} is released after. */
    void content(ByteBuf content, boolean last);

    /** The connection failed or closed before the answer was complete. */
    void failed(Throwable cause);

    /** The connection takes writes again after {@link #writeQueueFull()}. */
    void writable();
  }

  /** The name Vert.x gives its own handler in a connection's pipeline. */
  private static final String VERTX_HANDLER = "handler";

  private final NetSocket socket;
  private final Channel channel;
  private @Nullable ChannelHandlerContext context;
  private @Nullable Listener listener;
  private boolean informational; // the current head was a 1xx: its empty end is not the answer's

  private InstanceConnection(NetSocket socket, Channel channel) {
    this.socket = socket;
    this.channel = channel;
  }

  /** Connects to {@code host:port} with {@code client}; responses are read as {@code decoder} says. */
  static Future<InstanceConnection> connect(NetClient client, HttpDecoderConfig decoder, String host, int port) {
    return client.connect(port, host).map(socket -> {
      Channel channel = ((ConnectionBase) socket).channel();
      InstanceConnection connection = new InstanceConnection(socket, channel);
      channel.pipeline().addBefore(VERTX_HANDLER, "codec", new HttpClientCodec(decoder, false, false));
      channel.pipeline().addBefore(VERTX_HANDLER, "exchange", connection);
      return connection;
    });
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    context = ctx;
  }

  /**
   * Queues the head of a request and listens for its answer. The head goes out with the first piece of the body, or
   * its end: one write for a request without a body.
   */
  void send(HttpRequest head, Listener listener) {
    this.listener = listener;
    this.informational = false;
    ChannelHandlerContext ctx = context();
    ctx.write(head, ctx.voidPromise());
  }

  /** Writes a piece of the request's body, or its end ({@link LastHttpContent}). */
  void write(HttpContent content) {
    ChannelHandlerContext ctx = context();
    ctx.writeAndFlush(content, ctx.voidPromise());
  }

  /** Whether the socket's buffer is full: hold the body back until {@link Listener#writable()}. */
  boolean writeQueueFull() {
    return !channel.isWritable();
  }

  /** Stops or resumes reading the answer (back-pressure from the client's side). */
  void reading(boolean on) {
    channel.config().setAutoRead(on);
  }

  boolean isOpen() {
    return channel.isActive();
  }

  /** {@code handler} runs once the connection is closed, after the listener heard of it. */
  void closeHandler(Handler<Void> handler) {
    socket.closeHandler(handler);
  }

  /** Closes the connection; an exchange on it fails. */
  void close() {
    channel.close();
  }

  private ChannelHandlerContext context() {
    ChannelHandlerContext ctx = context;
    if (ctx == null) {
      throw new IllegalStateException("not in a pipeline");
    }
    return ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof HttpObject object) {
        read(object);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void read(HttpObject object) {
    Listener current = listener;
    if (object.decoderResult().isFailure()) {
      fail(object.decoderResult().cause());
      return;
    }
    if (current == null) {
      fail(new IllegalStateException("an answer with no request in progress"));
      return;
    }
    if (object instanceof HttpResponse head) {
      informational = head.status().codeClass() == HttpStatusClass.INFORMATIONAL;
      if (!informational) {
        current.head(head);
      }
    }
    if (object instanceof HttpContent content && !informational) {
      boolean last = content instanceof LastHttpContent;
      if (last) {
        listener = null; // over before the listener hears it: it may send the next request from inside
      }
      current.content(content.content(), last);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    Listener current = listener;
    if (current != null && channel.isWritable()) {
      current.writable();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Listener current = listener;
    listener = null;
    if (current != null) {
      current.failed(new HttpClosedException("Connection was closed"));
    }
    ctx.fireChannelInactive(); // Vert.x's handler: the socket's close handler
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(cause); // the exchange hears it; Vert.x's handler would only log it
  }

  private void fail(Throwable cause) {
    Listener current = listener;
    listener = null;
    channel.close();
    if (current != null) {
      current.failed(cause);
    }
  }
}
