package io.pulse.dataplane.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.pulse.dataplane.routing.Instance;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.function.BiFunction;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;

/**
 * MEASUREMENT ONLY (not for landing): the floor of a byte-level forwarder in this JVM. Each request head is parsed
 * in place and rewritten ({@link RawRequestHead}) onto one instance connection per client connection; the answer
 * bytes are relayed back as they come, its head read only for the status and Content-Length, to know where it ends
 * (one request in flight per connection, as the warm bench's closed loop sends). With {@code end} callbacks from
 * the resolver, the grant and the accounting of the Vert.x path run per request; no deadlines, no failures handled.
 */
public final class RawSpliceExperiment extends ChannelInboundHandlerAdapter {

  /** Where a request goes: the instance and the URI to ask it for; {@code end} (if any) is told the status. */
  public record Resolved(Instance instance, String uri, @Nullable IntConsumer end) {}

  private final BiFunction<String, String, Resolved> resolver;
  private final ArrayDeque<IntConsumer> inFlight = new ArrayDeque<>();
  private final ByteBuf answerHead = Unpooled.buffer(256);
  private long answerRemaining = -1; // -1: reading a head
  private ByteBuf pending;
  private Channel instance;
  private String authority;

  public RawSpliceExperiment(BiFunction<String, String, Resolved> resolver) {
    this.resolver = resolver;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf bytes = (ByteBuf) msg;
    if (pending == null) {
      pending = bytes;
    } else {
      pending = ctx.alloc().compositeBuffer().addComponents(true, pending, bytes);
    }
    drain(ctx);
  }

  private void drain(ChannelHandlerContext ctx) {
    while (pending != null && pending.isReadable()) {
      if (instance != null && !instance.isActive()) {
        return; // written once connected
      }
      RawRequestHead.Parse parse = RawRequestHead.parse(pending);
      if (!(parse instanceof RawRequestHead.Parsed(RawRequestHead head))) {
        return; // incomplete (hand-overs are not part of this experiment)
      }
      if (pending.readableBytes() < head.length() + head.contentLength()) {
        return;
      }
      if (instance == null) {
        Resolved first = resolver.apply(head.host(), head.target());
        if (first.end() != null) {
          first.end().accept(200); // the connection's opening request is only for the address
        }
        authority = first.instance().host() + ":" + first.instance().port();
        connect(ctx, first.instance());
        return;
      }
      Resolved resolved = resolver.apply(head.host(), head.target());
      if (resolved.end() != null) {
        inFlight.add(resolved.end());
      }
      ByteBuf out = ctx.alloc().directBuffer(head.length() + 128 + (int) head.contentLength());
      InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
      head.writeForwarded(pending, out, resolved.uri(), authority, remote.getAddress().getHostAddress(), "http");
      out.writeBytes(pending, pending.readerIndex() + head.length(), (int) head.contentLength());
      pending.skipBytes(head.length() + (int) head.contentLength());
      instance.writeAndFlush(out, instance.voidPromise());
    }
    if (pending != null && !pending.isReadable()) {
      pending.release();
      pending = null;
    }
  }

  /** Follows the answer's framing (status line, Content-Length, body) to tell the exchange's end. */
  private void track(ByteBuf answer) {
    int i = answer.readerIndex();
    int end = answer.writerIndex();
    while (i < end) {
      if (answerRemaining < 0) {
        int take = end - i;
        int before = answerHead.writerIndex();
        answerHead.writeBytes(answer, i, take);
        int headEnd = headEnd(answerHead);
        if (headEnd < 0) {
          return;
        }
        i += headEnd - before;
        answerRemaining = contentLength(answerHead, headEnd);
        int status = (answerHead.getByte(9) - '0') * 100 + (answerHead.getByte(10) - '0') * 10
            + (answerHead.getByte(11) - '0');
        answerHead.clear();
        answerHead.writeInt(status); // kept for the end
      }
      long body = Math.min(answerRemaining, end - i);
      i += (int) body;
      answerRemaining -= body;
      if (answerRemaining == 0) {
        int status = answerHead.getInt(0);
        answerHead.clear();
        answerRemaining = -1;
        IntConsumer done = inFlight.poll();
        if (done != null) {
          done.accept(status);
        }
      }
    }
  }

  private static int headEnd(ByteBuf head) {
    for (int k = 3; k < head.writerIndex(); k++) {
      if (head.getByte(k) == '\n' && head.getByte(k - 1) == '\r' && head.getByte(k - 2) == '\n'
          && head.getByte(k - 3) == '\r') {
        return k + 1;
      }
    }
    return -1;
  }

  private static long contentLength(ByteBuf head, int headEnd) {
    String text = head.toString(0, headEnd, StandardCharsets.US_ASCII);
    int at = text.toLowerCase(java.util.Locale.ROOT).indexOf("\r\ncontent-length:");
    if (at < 0) {
      return 0;
    }
    int from = at + "\r\ncontent-length:".length();
    return Long.parseLong(text.substring(from, text.indexOf('\r', from)).strip());
  }

  private void connect(ChannelHandlerContext ctx, Instance target) {
    Channel client = ctx.channel();
    instance = new Bootstrap().group(client.eventLoop())
        .channel(client.getClass()) // the server's transport (epoll here)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInboundHandlerAdapter() {
          @Override
          public void channelRead(ChannelHandlerContext ictx, Object answer) {
            track((ByteBuf) answer);
            // From this handler's place, ahead of Vert.x's encoder, which takes no raw bytes.
            ctx.writeAndFlush(answer, ctx.voidPromise());
          }

          @Override
          public void channelInactive(ChannelHandlerContext ictx) {
            client.close();
          }
        })
        .connect(target.host(), target.port())
        .addListener((ChannelFutureListener) f -> {
          if (f.isSuccess()) {
            drain(ctx);
          } else {
            client.close();
          }
        }).channel();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (instance != null) {
      instance.close();
    }
    if (pending != null) {
      pending.release();
      pending = null;
    }
    ctx.fireChannelInactive();
  }
}
