package io.pulse.dataplane;

import io.pulse.common.http.InvalidRequests;
import io.pulse.common.http.ListenerOptions;
import io.pulse.common.http.RequestFraming;
import io.pulse.dataplane.proxy.Forwarder;
import io.pulse.dataplane.proxy.InstanceClients;
import io.pulse.dataplane.proxy.RawAdmission;
import io.pulse.dataplane.proxy.RawForwarder;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.jspecify.annotations.Nullable;

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
  private final @Nullable RawAdmission raw;
  private final long maxRequestBodyBytes;
  private HttpServer server;
  private @Nullable RawForwarder rawForwarder;
  private InstanceClients clients;
  private Forwarder forwarder;

  /**
   * {@code port} may be negative: a random port shared by every server listening on that same number. {@code raw}: the
   * byte-level forwarder's admission when {@code --forwarding raw} (cleartext listeners only), else null.
   */
  GatewayVerticle(Invocations invocations, ListenerOptions listener, String host, int port,
      @Nullable RawAdmission raw, long maxRequestBodyBytes) {
    this.invocations = invocations;
    this.listener = listener;
    this.host = host;
    this.port = port;
    this.raw = raw;
    this.maxRequestBodyBytes = maxRequestBodyBytes;
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
      // Its connection stays with Vert.x until this request is over.
      String refused = rawForwarder != null ? rawForwarder.vertxRequest(request) : null;
      if (!framing.refuse(request)) { // before anything reads the request: it might be two
        invocations.handle(request, forwarder, refused);
      }
    });
    InvalidRequests.answerWithJson(server);
    if (raw != null && RawForwarder.applies(listener)) {
      RawForwarder forwarding = new RawForwarder(vertx, raw, maxRequestBodyBytes,
          listener.maxHeaderBytes());
      rawForwarder = forwarding;
      server.connectionHandler(forwarding::connected);
    }
    return server.listen(port, host);
  }

  @Override
  public Future<?> stop() {
    return server.close().eventually(() -> {
      forwarder.close();
      if (rawForwarder != null) {
        rawForwarder.close();
      }
      return clients.close();
    });
  }

  int port() {
    return server.actualPort();
  }
}
