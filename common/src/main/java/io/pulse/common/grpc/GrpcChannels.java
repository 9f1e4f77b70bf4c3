package io.pulse.common.grpc;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.TimeUnit;

/** Client channels between Pulse components: plaintext HTTP/2 with keep-alive, so a dead peer is noticed. */
public final class GrpcChannels {

  private GrpcChannels() {}

  /** A channel to {@code host:port}. Channels connect lazily and reconnect by themselves. */
  public static ManagedChannel plaintext(String target) {
    return NettyChannelBuilder.forTarget(target)
        .usePlaintext()
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
