package io.pulse.dataplane.proxy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

/**
 * Proxies exchanges to instances over one event loop's {@link InstanceClients}. Use one forwarder per event loop,
 * from that event loop.
 */
public final class Forwarder {

  /** Status recorded when the client left before the exchange ended (nginx's convention). */
  public static final int CLIENT_CLOSED = 499;

  private final Vertx vertx;
  private final InstanceClients clients;

  public Forwarder(Vertx vertx, InstanceClients clients) {
    this.vertx = vertx;
    this.clients = clients;
  }

  /**
   * Forwards {@code request} (paused, body unread) to the target and streams the answer back. The future never fails:
   * it completes once, when the exchange is over, with the status the client got ({@link #CLIENT_CLOSED} when it
   * left first) and the failure behind a 502/504 of the gateway's own. The caller releases the slot then.
   */
  public Future<Exchanged> forward(HttpServerRequest request, ForwardTarget target) {
    return new ProxyExchange(vertx, clients, request, target).run();
  }
}
