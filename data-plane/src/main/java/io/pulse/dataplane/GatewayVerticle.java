package io.pulse.dataplane;

import io.pulse.common.http.InvalidRequests;
import io.pulse.common.http.ListenerOptions;
import io.pulse.common.http.RequestFraming;
import io.pulse.dataplane.proxy.Forwarder;
import io.pulse.dataplane.proxy.InstanceClients;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * One event loop's share of the gateway: an HTTP server (all instances share the port; TLS, header limit and idle
 * timeout from {@link ListenerOptions}; HTTP/1.1 and HTTP/2) and its own clients to the instances
 * ({@link InstanceClients}). Requests
 * whose framing could smuggle a second request, and requests the decoder could not read, are refused in JSON with
 * the connection closed.
 */
final class GatewayVerticle extends VerticleBase {

  private final Invocations invocations;
  private final ListenerOptions listener;
  private final String host;
  private final int port;
  private HttpServer server;
  private InstanceClients clients;
  private Forwarder forwarder;

  /** {@code port} may be negative: a random port shared by every server listening on that same number. */
  GatewayVerticle(Invocations invocations, ListenerOptions listener, String host, int port) {
    this.invocations = invocations;
    this.listener = listener;
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    clients = InstanceClients.create(vertx);
    forwarder = new Forwarder(vertx, clients);
    HttpServerOptions options = listener.applyTo(new HttpServerOptions().setHandle100ContinueAutomatically(true));
    // HTTP/2 over TLS is negotiated by ALPN; over cleartext Vert.x accepts prior knowledge and the h2c upgrade.
    options.setUseAlpn(options.isSsl());
    RequestFraming.Gate framing = new RequestFraming.Gate();
    server = vertx.createHttpServer(options).requestHandler(request -> {
      if (!framing.refuse(request)) { // before anything reads the request: it might be two
        invocations.handle(request, forwarder);
      }
    });
    InvalidRequests.answerWithJson(server);
    return server.listen(port, host);
  }

  @Override
  public Future<?> stop() {
    return server.close().eventually(() -> {
      forwarder.close();
      return clients.close();
    });
  }

  int port() {
    return server.actualPort();
  }
}
