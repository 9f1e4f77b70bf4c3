package io.pulse.dataplane.proxy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.PoolOptions;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * One event loop's clients to the instances: a keep-alive pool, and one-shot connections for the exchange that goes
 * again after its pooled connection closed under it ({@link Replay}) and for instances that close every connection
 * ({@link ClosingInstances}). Both read bare-LF responses ({@link BareLineFeedResponses}) and hold at most
 * {@link #MAX_CONNECTIONS_PER_INSTANCE} connections to one instance; requests beyond wait in the client's queue for
 * one (their deadline still runs). One-shot connections end with a reset (SO_LINGER 0) rather than a FIN, so that a
 * function closing every connection leaves no socket in TIME_WAIT on either side: the instance closes after its
 * answer, and the reset ends its FIN_WAIT at once. Use from that event loop only.
 */
public final class InstanceClients {

  // Shorter than common servers' idle timeouts (the JDK's is 30 s), so we drop a pooled connection before the
  // instance does and never send a request into a closing socket. Servers that close right after an answer are
  // what Replay is for.
  private static final int KEEP_ALIVE_SECONDS = 10;
  // Slots bound the concurrency per instance first; this bounds the sockets one event loop opens to one instance (and,
  // for a function that closes every connection, the connects in flight) when the slots are many.
  static final int MAX_CONNECTIONS_PER_INSTANCE = 256;
  private static final int CONNECT_TIMEOUT_MILLIS = 5000;

  private final HttpClientAgent pooled;
  private final HttpClientAgent fresh;
  private final Set<HttpConnection> used = Collections.newSetFromMap(new WeakHashMap<>());
  private final ClosingInstances closing = new ClosingInstances();

  private InstanceClients(HttpClientAgent pooled, HttpClientAgent fresh) {
    this.pooled = pooled;
    this.fresh = fresh;
  }

  public static InstanceClients create(Vertx vertx) {
    return create(vertx, MAX_CONNECTIONS_PER_INSTANCE);
  }

  static InstanceClients create(Vertx vertx, int maxConnectionsPerInstance) {
    return new InstanceClients(build(vertx, true, maxConnectionsPerInstance),
        build(vertx, false, maxConnectionsPerInstance));
  }

  private static HttpClientAgent build(Vertx vertx, boolean keepAlive, int maxConnectionsPerInstance) {
    HttpClientOptions options = new HttpClientOptions()
        .setKeepAlive(keepAlive)
        .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
        .setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
    if (!keepAlive) {
      options.setSoLinger(0);
    }
    return vertx.httpClientBuilder()
        .with(options)
        .with(new PoolOptions().setHttp1MaxSize(maxConnectionsPerInstance))
        .withConnectHandler(BareLineFeedResponses.acceptedBy(options))
        .build();
  }

  /** Each request on a connection of its own, closed after the exchange. */
  HttpClient fresh() {
    return fresh;
  }

  /** The client for the instance's next request: the pool, unless the instance closes its connections. */
  HttpClient forInstance(String instanceId) {
    return closing.closes(instanceId) ? fresh : pooled;
  }

  /** The instance closed a kept-alive connection under a request: its requests go on fresh connections from now. */
  void closesConnections(String instanceId) {
    closing.closed(instanceId);
  }

  /** Notes that {@code connection} carries an exchange; true if it had carried one before. */
  boolean reused(HttpConnection connection) {
    return !used.add(connection);
  }

  public Future<Void> close() {
    return Future.join(pooled.close(), fresh.close()).mapEmpty();
  }
}
