package io.pulse.dataplane.routing;

import io.pulse.common.grpc.RouteAcks;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.pulse.api.v1.ControlPlaneServiceGrpc.ControlPlaneServiceStub;
import io.pulse.api.v1.RouteUpdate;
import io.pulse.api.v1.WatchRoutesRequest;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link RoutingState} in step with the control plane through the {@code WatchRoutes} stream: applies the
 * snapshot and the deltas, and reconnects with backoff (50 .. 250 ms) whenever the stream ends or fails, taking the
 * next full snapshot as the truth. Messages arrive on gRPC's threads, never on an event loop; until the next snapshot
 * the last table keeps serving (stale routes beat no routes). Every applied update is acknowledged with its version,
 * which lets the control plane answer a registration only once this data plane routes the function.
 */
public final class RouteWatcher {

  private static final Logger LOG = LoggerFactory.getLogger(RouteWatcher.class);

  private final Vertx vertx;
  private final ControlPlaneServiceStub stub;
  private final String dataPlaneId;
  private final RoutingState state;
  private final java.util.function.Supplier<String> gatewayUrl;
  /**
   * Short: while a new leader is elected every attempt fails at once, and a ceiling of seconds left the first route
   * of the new term (a request waiting for a cold start) waiting up to that long after the leader published it.
   */
  static final long RECONNECT_MIN_MILLIS = 50;
  static final long RECONNECT_MAX_MILLIS = 250;
  private final Backoff backoff = new Backoff(RECONNECT_MIN_MILLIS, RECONNECT_MAX_MILLIS);
  private final AtomicBoolean snapshotSeen = new AtomicBoolean();
  private volatile boolean closed;
  private volatile boolean connected;
  // Guarded by this: the stream whose messages count; late messages of an abandoned stream are ignored.
  private @Nullable Stream stream;

  public RouteWatcher(Vertx vertx, ControlPlaneServiceStub stub, String dataPlaneId, RoutingState state) {
    this(vertx, stub, dataPlaneId, state, () -> "");
  }

  /** @param gatewayUrl where the leader sends async invocations through this data plane (read at each connect) */
  public RouteWatcher(Vertx vertx, ControlPlaneServiceStub stub, String dataPlaneId, RoutingState state,
      java.util.function.Supplier<String> gatewayUrl) {
    this.gatewayUrl = gatewayUrl;
    this.vertx = vertx;
    this.stub = stub;
    this.dataPlaneId = dataPlaneId;
    this.state = state;
  }

  public void start() {
    connect();
  }

  /** Whether a full snapshot has arrived at least once (the data plane's readiness). */
  public boolean snapshotReceived() {
    return snapshotSeen.get();
  }

  /** Whether the current stream has delivered its snapshot and is still open. */
  public boolean connected() {
    return connected;
  }

  public void close() {
    Stream current;
    synchronized (this) {
      closed = true;
      current = stream;
      stream = null;
    }
    if (current != null) {
      current.cancel();
    }
  }

  private void connect() {
    Stream next = new Stream();
    synchronized (this) {
      if (closed) {
        return;
      }
      stream = next;
    }
    stub.watchRoutes(WatchRoutesRequest.newBuilder().setDataPlaneId(dataPlaneId)
        .setGatewayUrl(gatewayUrl.get()).build(), next);
  }

  private void streamEnded(Stream ended, @Nullable Throwable failure) {
    synchronized (this) {
      if (stream != ended || closed) {
        return;
      }
      stream = null;
    }
    connected = false;
    long delay = backoff.nextDelayMillis();
    LOG.atInfo().setMessage("route stream ended; reconnecting")
        .addKeyValue("status", failure == null ? "completed" : Status.fromThrowable(failure).getCode())
        .addKeyValue("delay_ms", delay).log();
    vertx.setTimer(delay, id -> connect());
  }

  private void received(Stream from, RouteUpdate update) {
    RouteDelta delta;
    try {
      delta = RouteMessages.delta(update);
    } catch (IllegalArgumentException e) {
      LOG.atWarn().setMessage("ignoring bad route update").addKeyValue("reason", e.getMessage()).log();
      return;
    }
    synchronized (this) {
      if (stream != from || closed) {
        return;
      }
      if (!from.snapshotApplied && !delta.fullSnapshot()) {
        // A stream must begin with a snapshot; a delta against an unknown base would corrupt the table.
        LOG.atWarn().setMessage("route stream began with a delta; ignoring it until a snapshot").log();
        return;
      }
      RoutingTable table = state.apply(delta);
      if (delta.fullSnapshot()) {
        from.snapshotApplied = true;
        connected = true;
        backoff.reset();
        if (snapshotSeen.compareAndSet(false, true)) {
          LOG.atInfo().setMessage("first routing snapshot").addKeyValue("functions", table.routes().size()).log();
        }
      }
    }
    if (update.getVersion() > 0) {
      acknowledge(update.getVersion());
    }
  }

  private void acknowledge(long version) {
    RouteAcks.send(stub, dataPlaneId, version);
  }

  /** One WatchRoutes call. */
  private final class Stream implements ClientResponseObserver<WatchRoutesRequest, RouteUpdate> {
    private volatile @Nullable ClientCallStreamObserver<WatchRoutesRequest> call;
    private boolean snapshotApplied; // guarded by the watcher

    @Override
    public void beforeStart(ClientCallStreamObserver<WatchRoutesRequest> requestStream) {
      call = requestStream;
    }

    void cancel() {
      ClientCallStreamObserver<WatchRoutesRequest> c = call;
      if (c != null) {
        c.cancel("data plane closing", null);
      }
    }

    @Override
    public void onNext(RouteUpdate update) {
      received(this, update);
    }

    @Override
    public void onError(Throwable t) {
      streamEnded(this, t);
    }

    @Override
    public void onCompleted() {
      streamEnded(this, null);
    }
  }
}
