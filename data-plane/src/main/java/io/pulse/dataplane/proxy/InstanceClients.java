package io.pulse.dataplane.proxy;

import io.pulse.dataplane.routing.Instance;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.PoolOptions;
import java.util.concurrent.TimeUnit;

/**
 * One event loop's clients to the instances: kept-alive connections of our own ({@link KeptConnections}), and one-shot
 * connections for the exchange that goes
 * again after its pooled connection closed under it ({@link Replay}) and for instances that close every connection
 * ({@link ClosingInstances}). Both read bare-LF responses ({@link BareLineFeedResponses}) and hold at most
 * {@link #MAX_CONNECTIONS_PER_INSTANCE} connections to one instance; requests beyond wait in arrival order for
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

  private final Vertx vertx;
  private final HttpClientAgent connector;
  private final KeptConnections kept;
  private final HttpClientAgent fresh;
  private final ClosingInstances closing = new ClosingInstances();
  private final long expiry;

  private InstanceClients(Vertx vertx, HttpClientAgent connector, Handler<HttpConnection> prepare,
      HttpClientAgent fresh, int maxConnectionsPerInstance) {
    this.vertx = vertx;
    this.connector = connector;
    this.fresh = fresh;
    this.kept = new KeptConnections(connector, prepare, vertx.getOrCreateContext(), maxConnectionsPerInstance,
        TimeUnit.SECONDS.toNanos(KEEP_ALIVE_SECONDS), System::nanoTime);
    // Idle connections expire within 1.5x the keep-alive: still before common servers' idle timeouts.
    this.expiry = vertx.setPeriodic(KEEP_ALIVE_SECONDS * 500L, id -> kept.expire());
  }

  public static InstanceClients create(Vertx vertx) {
    return create(vertx, MAX_CONNECTIONS_PER_INSTANCE);
  }

  static InstanceClients create(Vertx vertx, int maxConnectionsPerInstance) {
    // The kept-alive connections are made one by one (HttpClientAgent.connect), so the pool owns them and prepares
    // each itself; the one-shot ones come from a client whose pool only enforces the cap.
    HttpClientOptions keptOptions = options(true);
    HttpClientAgent connector = vertx.httpClientBuilder().with(keptOptions).build();
    HttpClientOptions freshOptions = options(false).setSoLinger(0);
    HttpClientAgent fresh = vertx.httpClientBuilder()
        .with(freshOptions)
        .with(new PoolOptions().setHttp1MaxSize(maxConnectionsPerInstance))
        .withConnectHandler(BareLineFeedResponses.acceptedBy(freshOptions))
        .build();
    return new InstanceClients(vertx, connector, BareLineFeedResponses.acceptedBy(keptOptions), fresh,
        maxConnectionsPerInstance);
  }

  private static HttpClientOptions options(boolean keepAlive) {
    return new HttpClientOptions()
        .setKeepAlive(keepAlive)
        .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
        .setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
  }

  /** Each request on a connection of its own, closed after the exchange. */
  HttpClient fresh() {
    return fresh;
  }

  /** Whether the instance's requests go on connections of their own: it closes its connections. */
  boolean closes(String instanceId) {
    return closing.closes(instanceId);
  }

  /** A kept-alive connection to {@code instance} for one exchange; {@link #release} it after. */
  void acquire(Instance instance, Handler<AsyncResult<KeptConnections.Kept>> handler) {
    kept.acquire(instance, handler);
  }

  /** The exchange on {@code connection} is over; {@code reusable}: it can carry the next one. */
  void release(KeptConnections.Kept connection, boolean reusable) {
    kept.release(connection, reusable);
  }

  /** The instance closed a kept-alive connection under a request: its requests go on fresh connections from now. */
  void closesConnections(String instanceId) {
    closing.closed(instanceId);
  }

  /** Connections open or being opened to {@code instanceId} from this event loop, kept-alive ones (tests). */
  int keptOpen(String instanceId) {
    return kept.open(instanceId);
  }

  public Future<Void> close() {
    vertx.cancelTimer(expiry);
    kept.close();
    return Future.join(connector.close(), fresh.close()).mapEmpty();
  }
}
