package io.pulse.dataplane.proxy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Consumer;

/**
 * Proxies exchanges to instances over one event loop's {@link InstanceClients}, their deadlines swept together
 * ({@link DeadlineSweeper}). Use one forwarder per event loop, from that event loop.
 */
public final class Forwarder {

  /** Status recorded when the client left before the exchange ended (nginx's convention). */
  public static final int CLIENT_CLOSED = 499;

  private final InstanceClients clients;
  private final DeadlineSweeper deadlines;

  public Forwarder(Vertx vertx, InstanceClients clients) {
    this.clients = clients;
    this.deadlines = new DeadlineSweeper(vertx, System::nanoTime);
  }

  /**
   * Forwards {@code request} (paused, body unread) to the target and streams the answer back. {@code done} runs once,
   * on the request's event loop, when the exchange is over (possibly before this returns), with the status the client
   * got ({@link #CLIENT_CLOSED} when it left first) and the failure behind a 502/504 of the gateway's own. The caller
   * releases the slot then.
   */
  public void forward(HttpServerRequest request, ForwardTarget target, Consumer<Exchanged> done) {
    new ProxyExchange(deadlines, clients, request, target, done).run();
  }

  /** Stops the deadline sweep (the verticle is going away). */
  public void close() {
    deadlines.close();
  }
}
