package io.pulse.common.grpc;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.TimeUnit;

/**
 * Client channels between Pulse components: HTTP/2 with keep-alive, so a dead peer is noticed; plaintext, or mutual
 * TLS when the process installed it ({@link GrpcTransport#install}).
 */
public final class GrpcChannels {

  private GrpcChannels() {}

  /**
   * A channel to {@code host:port} with this process's transport security: plaintext unless mutual TLS was
   * installed (the name predates TLS; {@link #to} says the same). Channels connect lazily and reconnect by themselves.
   */
  public static ManagedChannel plaintext(String target) {
    return to(target);
  }

  /** A channel to {@code host:port} with this process's transport security ({@link GrpcTransport}). */
  public static ManagedChannel to(String target) {
    NettyChannelBuilder builder = NettyChannelBuilder.forTarget(target);
    io.netty.handler.ssl.SslContext tls = GrpcTransport.clientContext();
    if (tls == null) {
      builder.usePlaintext();
    } else {
      builder.sslContext(tls);
    }
    return builder
        .keepAliveTime(10, TimeUnit.SECONDS)
        .keepAliveTimeout(5, TimeUnit.SECONDS)
        .keepAliveWithoutCalls(true)
        .maxInboundMessageSize(16 * 1024 * 1024)
        .build();
  }

  public static void close(ManagedChannel channel) {
    channel.shutdownNow();
    try {
      channel.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
