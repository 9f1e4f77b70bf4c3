package io.pulse.dataplane.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.pulse.dataplane.routing.Instance;
import java.net.InetSocketAddress;
import java.util.function.BiFunction;

/**
 * MEASUREMENT ONLY (not for landing): the floor of a byte-level forwarder in this JVM. Each request head is parsed
 * in place and rewritten ({@link RawRequestHead}) onto one instance connection per client connection; the answer
 * bytes are relayed back blindly (one request in flight per connection, as the warm bench's closed loop sends). No
 * grant, ticket, metrics or deadlines.
 */
public final class RawSpliceExperiment extends ChannelInboundHandlerAdapter {

  /** Where a request goes: the instance and the URI to ask it for (routing as the Vert.x path does it). */
  public record Resolved(Instance instance, String uri) {}

  private final BiFunction<String, String, Resolved> resolver;
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
      RawRequestHead.Parse parse = RawRequestHead.parse(pending);
      if (!(parse instanceof RawRequestHead.Parsed(RawRequestHead head))) {
        return; // incomplete (hand-overs are not part of this experiment)
      }
      if (pending.readableBytes() < head.length() + head.contentLength()) {
        return;
      }
      Resolved resolved = resolver.apply(head.host(), head.target());
      if (instance == null) {
        Instance target = resolved.instance();
        authority = target.host() + ":" + target.port();
        connect(ctx, target);
      }
      if (!instance.isActive()) {
        return; // written once connected
      }
      ByteBuf out = ctx.alloc().directBuffer(head.length() + 128 + (int) head.contentLength());
      InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
      head.writeForwarded(pending, out, resolved.uri(), authority,
          remote.getAddress().getHostAddress(), "http");
      out.writeBytes(pending, pending.readerIndex() + head.length(), (int) head.contentLength());
      pending.skipBytes(head.length() + (int) head.contentLength());
      instance.writeAndFlush(out, instance.voidPromise());
    }
    if (pending != null && !pending.isReadable()) {
      pending.release();
      pending = null;
    }
  }

  private void connect(ChannelHandlerContext ctx, Instance target) {
    Channel client = ctx.channel();
    instance = new Bootstrap().group(client.eventLoop())
        .channel(client.getClass()) // the server's transport (epoll here)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInboundHandlerAdapter() {
          @Override
          public void channelRead(ChannelHandlerContext ictx, Object answer) {
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
