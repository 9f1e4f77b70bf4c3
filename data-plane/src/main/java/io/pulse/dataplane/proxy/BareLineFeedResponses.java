package io.pulse.dataplane.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.UnpooledHttpClientConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Lets the client to instances read responses whose header lines end in a bare LF (busybox {@code httpd} CGIs, some
 * hand-written servers), as curl and HAProxy do: RFC 9112 §2.2 allows a recipient to accept one. Netty's decoder
 * refuses them by default and Vert.x has no option for it, so each new HTTP/1.1 connection gets its codec replaced by
 * the same one with strict line parsing off. Only the client side: the gateway's server keeps strict parsing of what
 * callers send, where a lenient reading is a smuggling risk.
 */
final class BareLineFeedResponses {

  /** The name Vert.x gives its HTTP/1.x codec in a client pipeline. */
  private static final String CODEC = "codec";

  private BareLineFeedResponses() {}

  /**
   * A connect handler ({@code HttpClientBuilder.withConnectHandler}) for a client built with {@code options}. It runs
   * on the connection's event loop before any request is written, so the new codec starts from a clean state.
   */
  static Handler<HttpConnection> acceptedBy(HttpClientOptions options) {
    HttpDecoderConfig config = new HttpDecoderConfig()
        .setMaxInitialLineLength(options.getMaxInitialLineLength())
        .setMaxHeaderSize(options.getMaxHeaderSize())
        .setMaxChunkSize(options.getMaxChunkSize())
        .setInitialBufferSize(options.getDecoderInitialBufferSize())
        .setStrictLineParsing(false);
    return made -> {
      // A connection made on its own (HttpClientAgent.connect) comes wrapped.
      HttpConnection connection = made instanceof UnpooledHttpClientConnection unpooled ? unpooled.unwrap() : made;
      if (!(connection instanceof ConnectionBase base)) {
        return; // HTTP/2 or another transport: no HTTP/1.x decoder to relax
      }
      Channel channel = base.channel();
      ChannelHandler codec = channel.pipeline().get(CODEC);
      if (codec instanceof HttpClientCodec) {
        channel.pipeline().replace(CODEC, CODEC, new HttpClientCodec(config, false, false));
      }
    };
  }
}
