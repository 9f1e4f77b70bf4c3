package io.pulse.dataplane.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.pulse.common.http.ListenerOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The byte-level forwarder of one gateway event loop ({@code --forwarding raw}, the default): installs a
 * {@link RawForwarding} on each new cleartext HTTP/1 connection, and owns the loop's raw instance connections
 * ({@link RawConnections}) and deadlines. What it does not carry goes to the Vert.x path unchanged. Use one per event
 * loop, from that event loop.
 */
public final class RawForwarder {

  private static final int KEEP_ALIVE_SECONDS = 10; // as InstanceClients'

  private final Vertx vertx;
  private final RawAdmission admission;
  private final long maxRequestBodyBytes;
  private final int maxHeaderBytes;
  private final DeadlineSweeper deadlines;
  private final long expiry;
  private RawConnections connections;

  /** {@code maxHeaderBytes}: the listener's limit, over which heads go to its decoder (which refuses them). */
  public RawForwarder(Vertx vertx, RawAdmission admission, long maxRequestBodyBytes, int maxHeaderBytes) {
    this.vertx = vertx;
    this.admission = admission;
    this.maxRequestBodyBytes = maxRequestBodyBytes;
    this.maxHeaderBytes = maxHeaderBytes;
    this.deadlines = new DeadlineSweeper(vertx, System::nanoTime);
    // Idle connections expire within 1.5x the keep-alive, as InstanceClients' do.
    this.expiry = vertx.setPeriodic(KEEP_ALIVE_SECONDS * 500L, id -> {
      if (connections != null) {
        connections.expire();
      }
    });
  }

  /** Whether the listener lets this path run: cleartext only (it writes the client's bytes itself). */
  public static boolean applies(ListenerOptions listener) {
    return listener.scheme().equals("http");
  }

  /** Called from the server's connection handler, on the connection's event loop. */
  public void connected(HttpConnection connection) {
    if (!(connection instanceof ConnectionBase base)) {
      return;
    }
    Channel channel = base.channel();
    if (connections == null) { // the loop and transport of this verticle's connections, known at the first
      connections = new RawConnections(channel.eventLoop(), channel.getClass(),
          InstanceClients.MAX_CONNECTIONS_PER_INSTANCE, TimeUnit.SECONDS.toNanos(KEEP_ALIVE_SECONDS),
          System::nanoTime);
    }
    if (channel.eventLoop() != connections.loop()) {
      return; // not this verticle's loop (never seen): the pool is one loop's, so Vert.x serves it
    }
    RawForwarding.install(channel.pipeline(), admission, connections, deadlines, maxRequestBodyBytes,
        maxHeaderBytes);
  }

  /**
   * Vert.x took {@code request} (on any connection of this loop): a connection of the forwarder's stays with Vert.x
   * until the request is over. Called first thing from the server's request handler. Answers, for a request the
   * forwarder handed over because its instance refused the connection, that failure's ref: the request was accounted
   * as arrived and its one reroute taken (else null).
   */
  public @Nullable String vertxRequest(HttpServerRequest request) {
    if (request.connection() instanceof ConnectionBase base) {
      ChannelHandlerContext ctx = base.channel().pipeline().context(RawForwarding.NAME);
      if (ctx != null && ctx.handler() instanceof RawForwarding forwarding) {
        return forwarding.vertxRequest(ctx, request);
      }
    }
    return null;
  }

  public void close() {
    vertx.cancelTimer(expiry);
    deadlines.close();
    if (connections != null) {
      connections.close();
    }
  }
}
