package io.pulse.common.grpc;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.pulse.common.net.HostPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Starts and stops the gRPC servers of Pulse components, all configured alike (transport: {@link GrpcTransport}). */
public final class GrpcServers {

  private static final AtomicInteger HANDLER_THREADS = new AtomicInteger();
  private static final ExecutorService HANDLERS = Executors.newCachedThreadPool(task -> {
    Thread thread = new Thread(task, "pulse-grpc-" + HANDLER_THREADS.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  });

  private GrpcServers() {}

  /**
   * Binds and starts a server. Port 0 picks a free port; read it back with {@link Server#getPort()}. Calls run on a
   * cached pool of platform threads so that a handler may block briefly; handlers that touch component state hop
   * onto its Vert.x context themselves. Not virtual threads: one that initializes a class keeps its carrier while it
   * waits, and with one carrier per core (two here) a few such waits behind an unmounted virtual thread stalled the
   * whole JVM, event loops included (issue 18, item 12).
   */
  public static Server start(HostPort bind, List<BindableService> services) {
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(bind.host(), bind.port()))
        .executor(HANDLERS)
        .permitKeepAliveTime(5, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true)
        .maxInboundMessageSize(16 * 1024 * 1024);
    io.netty.handler.ssl.SslContext tls = GrpcTransport.serverContext();
    if (tls != null) {
      builder.sslContext(tls); // mutual TLS: clients without a certificate signed by the CA are refused
    }
    services.forEach(builder::addService);
    try {
      return builder.build().start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind gRPC server on " + bind + ": " + e.getMessage(), e);
    }
  }

  /** Stops accepting calls, gives running ones a grace period, then cuts them. */
  public static void stop(Server server, long graceMillis) {
    server.shutdown();
    try {
      if (!server.awaitTermination(graceMillis, TimeUnit.MILLISECONDS)) {
        server.shutdownNow().awaitTermination(1, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
