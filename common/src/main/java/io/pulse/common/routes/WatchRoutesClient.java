package io.pulse.common.routes;

import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.pulse.api.v1.ControlPlaneServiceGrpc;
import io.pulse.api.v1.ControlPlaneServiceGrpc.ControlPlaneServiceStub;
import io.pulse.api.v1.RouteUpdate;
import io.pulse.api.v1.WatchRoutesRequest;
import io.pulse.common.grpc.RouteAcks;
import io.pulse.common.leader.LeaderChannel;
import io.pulse.common.retry.Backoff;
import io.pulse.common.time.Timers;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the leader's {@code WatchRoutes} stream for one watcher (a data plane, the Kubernetes bridge). The rules
 * every watcher needs live here, once:
 * <ul>
 *   <li>a stream must begin with a full snapshot: a delta against an unknown base is dropped until one comes;
 *   <li>every applied update with a version is acknowledged ({@code AckRoutes}), so registrations do not wait for
 *       their timeout; an update the listener rejects is neither applied nor acknowledged;
 *   <li>when the stream ends or fails it reconnects after a {@link Backoff} (reset once a new snapshot arrives),
 *       and the new stream goes to the leader: {@link LeaderChannel} looks it up when a stream ends, and the
 *       reconnect waits for that lookup ({@link LeaderChannel#afterLookup});
 *   <li>until the next snapshot the caller keeps what it had (stale routes beat none).
 * </ul>
 * Updates arrive on gRPC's threads, one at a time, in stream order; the listener must not block. Messages of an
 * abandoned stream are ignored.
 */
public final class WatchRoutesClient {

  /** What a watcher does with an update. */
  @FunctionalInterface
  public interface Listener {
    /**
     * Applies {@code update} (a stream's first is always a full snapshot). Throws {@link IllegalArgumentException}
     * for an update it cannot take, which is then skipped and not acknowledged.
     */
    void apply(RouteUpdate update);
  }

  private static final Logger LOG = LoggerFactory.getLogger(WatchRoutesClient.class);

  private final LeaderChannel channel;
  private final ControlPlaneServiceStub stub;
  private final String watcherId;
  private final Supplier<WatchRoutesRequest> request;
  private final Timers timers;
  private final Listener listener;
  private volatile boolean closed;
  private volatile boolean connected;
  private volatile boolean snapshotReceived;
  // Guarded by this: the stream whose messages count, and the pacing of reconnects.
  private @Nullable Stream stream;
  private Backoff backoff;

  /**
   * @param request the request of each new stream (read at every connect; it must name {@code watcherId})
   * @param backoff the reconnect pacing
   */
  public WatchRoutesClient(LeaderChannel channel, String watcherId, Supplier<WatchRoutesRequest> request,
      Backoff backoff, Timers timers, Listener listener) {
    this.channel = channel;
    this.stub = ControlPlaneServiceGrpc.newStub(channel);
    this.watcherId = watcherId;
    this.request = request;
    this.backoff = backoff;
    this.timers = timers;
    this.listener = listener;
  }

  /** The plain request of a watcher that only names itself. */
  public static Supplier<WatchRoutesRequest> requestOf(String watcherId) {
    WatchRoutesRequest request = WatchRoutesRequest.newBuilder().setDataPlaneId(watcherId).build();
    return () -> request;
  }

  public void start() {
    connect();
  }

  /** Whether a full snapshot has arrived at least once. */
  public boolean snapshotReceived() {
    return snapshotReceived;
  }

  /** Whether the current stream has delivered its snapshot and is still open. */
  public boolean connected() {
    return connected;
  }

  /** The control-plane address streams go to now. */
  public String target() {
    return channel.target();
  }

  /** Ends the stream and reconnects no more; the channel stays the caller's to close. Idempotent. */
  public void close() {
    Stream current;
    synchronized (this) {
      closed = true;
      current = stream;
      stream = null;
    }
    connected = false;
    if (current != null) {
      current.cancel();
    }
  }

  private void connect() {
    channel.afterLookup(() -> {
      Stream next = new Stream();
      synchronized (this) {
        if (closed) {
          return;
        }
        stream = next;
      }
      stub.watchRoutes(request.get(), next);
      if (closed) {
        next.cancel(); // closed while the call was starting: close() may have found no call to cancel yet
      }
    });
  }

  private void ended(Stream ended, @Nullable Throwable failure) {
    long delay;
    synchronized (this) {
      if (stream != ended || closed) {
        return;
      }
      stream = null;
      delay = backoff.delayMillis();
      backoff = backoff.next();
    }
    connected = false;
    LOG.atInfo().setMessage("route stream ended; reconnecting").addKeyValue("watcher", watcherId)
        .addKeyValue("control_plane", channel.target())
        .addKeyValue("status", failure == null ? "completed" : Status.fromThrowable(failure).getCode())
        .addKeyValue("delay_ms", delay).log();
    timers.schedule(delay, this::connect);
  }

  private void received(Stream from, RouteUpdate update) {
    synchronized (this) {
      if (stream != from || closed) {
        return;
      }
      if (!from.snapshotApplied && !update.getFullSnapshot()) {
        LOG.atWarn().setMessage("route stream began with a delta; ignoring it until a snapshot")
            .addKeyValue("watcher", watcherId).log();
        return;
      }
      try {
        listener.apply(update);
      } catch (IllegalArgumentException e) {
        LOG.atWarn().setMessage("ignoring bad route update").addKeyValue("watcher", watcherId)
            .addKeyValue("reason", e.getMessage()).log();
        return;
      }
      if (update.getFullSnapshot() && !from.snapshotApplied) {
        from.snapshotApplied = true;
        connected = true;
        snapshotReceived = true;
        backoff = backoff.reset();
        LOG.atInfo().setMessage("following the control plane's routes").addKeyValue("watcher", watcherId)
            .addKeyValue("control_plane", channel.target()).addKeyValue("functions", update.getFunctionsCount())
            .addKeyValue("workers", update.getWorkersCount()).log();
      }
    }
    if (update.getVersion() > 0) {
      RouteAcks.send(stub, watcherId, update.getVersion());
    }
  }

  /** One WatchRoutes call. */
  private final class Stream implements ClientResponseObserver<WatchRoutesRequest, RouteUpdate> {
    private volatile @Nullable ClientCallStreamObserver<WatchRoutesRequest> call;
    private boolean snapshotApplied; // guarded by the client

    @Override
    public void beforeStart(ClientCallStreamObserver<WatchRoutesRequest> requestStream) {
      call = requestStream;
    }

    void cancel() {
      ClientCallStreamObserver<WatchRoutesRequest> c = call;
      if (c != null) {
        c.cancel("route watcher closing", null);
      }
    }

    @Override
    public void onNext(RouteUpdate update) {
      received(this, update);
    }

    @Override
    public void onError(Throwable t) {
      ended(this, t);
    }

    @Override
    public void onCompleted() {
      ended(this, null);
    }
  }
}
