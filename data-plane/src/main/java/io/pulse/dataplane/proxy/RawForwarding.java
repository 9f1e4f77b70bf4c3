package io.pulse.dataplane.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.pulse.dataplane.routing.Instance;
import io.vertx.core.http.HttpServerRequest;
import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * The byte-level forwarder of one client connection: a handler ahead of Vert.x's HTTP/1 decoder that reads each
 * request head with {@link RawRequestHead} and, when the head is eligible, its body small and whole, and the
 * {@link RawAdmission} grants a Regular slot now, carries the exchange itself ({@link RawExchange}). A request it does
 * not carry (not eligible, no free slot, its instance unreachable) is handed over at a request boundary with nothing in
 * flight: its bytes and all that follow go on to Vert.x unchanged, and Vert.x serves the connection until it is quiet
 * again (every request it took answered and ended, its decoder holding no byte and no half-read head:
 * {@link DecoderLeftovers}); then the
 * forwarder takes the connection back. A connection starts with Vert.x: on cleartext, Vert.x's h2c upgrade handler
 * builds the connection (and calls the connection handler that installs this one) only once it has decoded the
 * connection's first request. Requests the client sends before an answer is out (pipelined) wait in the buffer until
 * it is. Confined to the connection's event loop.
 */
final class RawForwarding extends ChannelInboundHandlerAdapter {

  /** The name Vert.x gives its HTTP/1 request decoder in the server pipeline. */
  static final String DECODER = "httpDecoder";
  static final String NAME = "pulse-raw";
  private static final byte[] HTTP = HeadBytes.ascii("http");

  /** Bodies up to this size are read whole and forwarded with the head; larger ones go to the full path. */
  static final long MAX_BODY_BYTES = ProxyExchange.SMALL_BODY_BYTES;

  private final RawAdmission admission;
  private final RawConnections connections;
  private final DeadlineSweeper deadlines;
  private final long maxRequestBodyBytes;
  private final int maxHeaderBytes;
  private @Nullable ByteBuf pending; // bytes read and not yet carried or handed over
  private @Nullable RawExchange inFlight;
  private boolean closing;
  private boolean vertx = true; // Vert.x serves the connection: bytes go straight on to its decoder
  private int vertxOpen; // requests Vert.x took on this connection and has not finished
  private boolean takeBackDue; // Vert.x finished a request: the connection may come back before its next bytes
  private @Nullable IdleStateHandler idle; // Vert.x's idle timeout, which sees none of this path's reads and writes
  private final SpareBuffer requests = new SpareBuffer(); // each request for the instance is written into it
  private byte @Nullable [] clientAddress; // the client's address as X-Forwarded-For gives it, once read
  private @Nullable Instance lastInstance; // the instance last written to, and its Host value
  private byte[] lastAuthority = new byte[0];
  private @Nullable String handedOverRefused; // the failure's ref of a request handed over after a refused connection

  RawForwarding(RawAdmission admission, RawConnections connections, DeadlineSweeper deadlines,
      long maxRequestBodyBytes, int maxHeaderBytes) {
    this.admission = admission;
    this.connections = connections;
    this.deadlines = deadlines;
    this.maxRequestBodyBytes = maxRequestBodyBytes;
    this.maxHeaderBytes = maxHeaderBytes;
  }

  /**
   * Puts the forwarder right before Vert.x's decoder of a new HTTP/1 connection (false when it has none: HTTP/2), with
   * Vert.x serving the connection: the connection handler runs while the first request is being decoded.
   */
  static boolean install(ChannelPipeline pipeline, RawAdmission admission, RawConnections connections,
      DeadlineSweeper deadlines, long maxRequestBodyBytes, int maxHeaderBytes) {
    if (pipeline.get(DECODER) == null) {
      return false;
    }
    pipeline.addBefore(DECODER, NAME,
        new RawForwarding(admission, connections, deadlines, maxRequestBodyBytes, maxHeaderBytes));
    return true;
  }

  /**
   * Vert.x took {@code request} on this connection: it serves the connection until the request and its answer are
   * over and nothing else is under way, when the forwarder takes the connection back. Answers the ref of the failure
   * when the request is one the forwarder handed over because its instance refused the connection (else null).
   */
  @Nullable String vertxRequest(ChannelHandlerContext ctx, HttpServerRequest request) {
    String refused = handedOverRefused;
    handedOverRefused = null; // the request handed over is the first Vert.x takes after the hand-over
    vertxOpen++;
    request.response().endHandler(v -> {
      if (request.isEnded()) { // else the body is still coming: the connection stays with Vert.x for good
        vertxOpen--;
        takeBackDue = true;
        // By now Vert.x has started a pipelined request it decoded (it does so as it writes the answer's end). The
        // next read takes the connection back if it comes before this task: io_uring can reap the answer's write and
        // the client's next request in one go, before the loop runs its tasks.
        ctx.executor().execute(() -> takeBackIfQuiet(ctx));
      }
    });
    return refused;
  }

  /**
   * The forwarder takes the connection back from Vert.x when Vert.x has nothing under way on it: no request open, no
   * byte in its decoder, and its answer's writes not held back for a full socket (when they go, Vert.x may start a
   * pipelined request it holds; the connection then stays with Vert.x until that one's answer).
   */
  private void takeBackIfQuiet(ChannelHandlerContext ctx) {
    takeBackDue = false;
    if (!vertx || vertxOpen > 0 || closing || ctx.isRemoved() || !ctx.channel().isActive()
        || !ctx.channel().isWritable()) {
      return;
    }
    if (!(ctx.pipeline().get(DECODER) instanceof ByteToMessageDecoder decoder)) {
      ctx.pipeline().remove(this); // upgraded to HTTP/2: not for this path
      return;
    }
    if (!DecoderLeftovers.none(decoder)) {
      return;
    }
    idle = ctx.pipeline().get(IdleStateHandler.class);
    vertx = false;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (takeBackDue) {
      takeBackIfQuiet(ctx);
    }
    if (vertx || !(msg instanceof ByteBuf bytes)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (closing) {
      bytes.release();
      return;
    }
    if (idle != null) {
      idle.resetReadTimeout();
    }
    pending = pending == null ? bytes : append(ctx, pending, bytes);
    if (inFlight == null) {
      next(ctx);
    } else if (pending.readableBytes() > RawRequestHead.MAX_HEAD_BYTES + MAX_BODY_BYTES) {
      ctx.channel().config().setAutoRead(false); // pipelined beyond one request: the client waits for its answer
    }
  }

  /** Vert.x's handlers hear of a read's end only while they serve the connection: else they have nothing to do. */
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (vertx) {
      ctx.fireChannelReadComplete();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    RawExchange exchange = inFlight;
    if (exchange != null) {
      exchange.clientWritabilityChanged();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    RawExchange exchange = inFlight;
    if (exchange != null) {
      exchange.clientGone();
    }
    releasePending();
    requests.release();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releasePending();
    requests.release();
  }

  /** At a request boundary: carries the next request, waits for the rest of it, or hands the connection over. */
  private void next(ChannelHandlerContext ctx) {
    ByteBuf bytes = pending;
    if (bytes == null || !bytes.isReadable() || closing) {
      return;
    }
    RawRequestHead.Parse parse = RawRequestHead.parse(bytes, maxHeaderBytes);
    if (parse instanceof RawRequestHead.Incomplete) {
      return;
    }
    if (!(parse instanceof RawRequestHead.Parsed(RawRequestHead head))
        || head.contentLength() > Math.min(MAX_BODY_BYTES, maxRequestBodyBytes)) {
      handOver(ctx);
      return;
    }
    int length = head.length() + (int) head.contentLength();
    if (bytes.readableBytes() < length) {
      return; // the body is on its way
    }
    RawAdmission.Granted grant = admission.admit(head.method(), head.host(), head.target(), head.contentLength());
    if (grant == null) {
      handOver(ctx);
      return;
    }
    Instance instance = grant.instance();
    ByteBuf request = requests.take(ctx.alloc(), length + 256);
    head.writeForwarded(bytes, request, grant.uri(), authority(instance), clientAddress(ctx), HTTP);
    request.writeBytes(bytes, bytes.readerIndex() + head.length(), (int) head.contentLength());
    RawExchange exchange = new RawExchange(ctx, connections, deadlines, grant, request, head.method(), head.close(),
        exchanged -> ended(ctx, grant, exchanged, length, head.close()));
    inFlight = exchange;
    exchange.start();
  }

  private void ended(ChannelHandlerContext ctx, RawAdmission.Granted grant, Exchanged exchanged, int length,
      boolean close) {
    inFlight = null;
    if (idle != null) {
      idle.resetWriteTimeout();
    }
    grant.ended().accept(exchanged);
    if (!ctx.channel().isActive()) {
      releasePending();
      return;
    }
    if (exchanged.refused()) {
      // Nothing went out and nothing was answered: the full path sends it elsewhere, as its own reroute.
      handedOverRefused = java.util.Objects.requireNonNull(exchanged.failure()).ref();
      handOver(ctx);
      return;
    }
    ByteBuf bytes = pending;
    if (bytes != null) {
      bytes.skipBytes(length);
    }
    if (close) {
      closing = true;
      releasePending();
      ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ctx.channel().config().setAutoRead(true);
    next(ctx);
  }

  /** Vert.x serves the connection from here, starting with the unread bytes, until it is quiet again. */
  private void handOver(ChannelHandlerContext ctx) {
    ByteBuf rest = pending;
    pending = null;
    vertx = true;
    ctx.channel().config().setAutoRead(true);
    if (rest != null && rest.isReadable()) {
      ctx.fireChannelRead(rest);
      ctx.fireChannelReadComplete();
    } else if (rest != null) {
      rest.release();
    }
    // Taken back after Vert.x's answer (vertxRequest); a request Vert.x cannot read never comes back: it closes.
  }

  /** The Host the instance is asked with, as the Vert.x client writes it: the port left out when it is 80. */
  private byte[] authority(Instance instance) {
    if (instance != lastInstance) {
      lastInstance = instance;
      lastAuthority = HeadBytes.ascii(instance.port() == 80 ? instance.host() : instance.host() + ":" + instance.port());
    }
    return lastAuthority;
  }

  /** The client's IP address, read once per connection; null when the channel has no remote address. */
  private byte @Nullable [] clientAddress(ChannelHandlerContext ctx) {
    if (clientAddress == null && ctx.channel().remoteAddress() instanceof InetSocketAddress remote) {
      clientAddress = HeadBytes.ascii(remote.getAddress().getHostAddress());
    }
    return clientAddress;
  }

  private void releasePending() {
    ByteBuf bytes = pending;
    if (bytes != null) {
      pending = null;
      bytes.release();
    }
  }

  /** {@code bytes} after {@code cumulation}, both released: one buffer to parse from. */
  static ByteBuf append(ChannelHandlerContext ctx, ByteBuf cumulation, ByteBuf bytes) {
    if (!cumulation.isReadable()) {
      cumulation.release();
      return bytes;
    }
    ByteBuf merged = ctx.alloc().buffer(cumulation.readableBytes() + bytes.readableBytes());
    merged.writeBytes(cumulation).writeBytes(bytes);
    cumulation.release();
    bytes.release();
    return merged;
  }
}
