package io.pulse.k8sbridge.watch;

import io.pulse.common.grpc.RouteAcks;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pulse.api.v1.ControlPlaneServiceGrpc;
import io.pulse.api.v1.RouteUpdate;
import io.pulse.api.v1.WatchRoutesRequest;
import io.pulse.common.grpc.GrpcChannels;
import io.pulse.common.retry.Backoff;
import io.pulse.k8sbridge.view.ClusterView;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the leader's {@code WatchRoutes} stream on one virtual thread and publishes each new {@link ClusterView}
 * by reference. After the stream ends or fails (a failover, a restart) it finds the leader again and reconnects with
 * backoff (200 ms .. 5 s); until the new snapshot arrives the last view stands (a stale mirror beats an empty one).
 */
public final class RouteFollower implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RouteFollower.class);

  private final LeaderLocator locator;
  private final String watcherId;
  private final Runnable onChange;
  private final AtomicReference<ClusterView> view = new AtomicReference<>(ClusterView.EMPTY);
  private volatile Backoff backoff = Backoff.doubling(200, 5000); // written by the follower's thread only
  private volatile boolean closed;
  private volatile boolean connected;
  private volatile @Nullable String leader;
  private volatile @Nullable Thread thread;
  private volatile Context.@Nullable CancellableContext call;

  /**
   * @param watcherId the id the bridge watches under (the control plane counts it like a data plane)
   * @param onChange told after every new view (from the follower's thread; must not block)
   */
  public RouteFollower(LeaderLocator locator, String watcherId, Runnable onChange) {
    this.locator = locator;
    this.watcherId = watcherId;
    this.onChange = onChange;
  }

  public void start() {
    thread = Thread.ofVirtual().name("pulse-k8s-routes").start(this::run);
  }

  public ClusterView view() {
    return view.get();
  }

  /** Whether the current stream delivered its snapshot and is still open. */
  public boolean connected() {
    return connected;
  }

  /** The control-plane address the bridge follows now, or null before the first connection. */
  public @Nullable String leader() {
    return leader;
  }

  @Override
  public void close() {
    closed = true;
    Context.CancellableContext c = call;
    if (c != null) {
      c.cancel(null);
    }
    Thread t = thread;
    if (t != null) {
      t.interrupt();
      try {
        t.join(java.time.Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    while (!closed) {
      String target = locator.locate();
      leader = target;
      ManagedChannel channel = GrpcChannels.plaintext(target);
      Status ended = Status.OK;
      try {
        follow(channel, target);
      } catch (StatusRuntimeException e) {
        ended = e.getStatus();
      } finally {
        connected = false;
        GrpcChannels.close(channel);
      }
      if (closed) {
        return;
      }
      long delay = backoff.delayMillis();
      backoff = backoff.next();
      LOG.atInfo().setMessage("route stream ended; reconnecting").addKeyValue("control_plane", target)
          .addKeyValue("status", ended.getCode()).addKeyValue("delay_ms", delay).log();
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void follow(ManagedChannel channel, String target) {
    Context.CancellableContext context = Context.current().withCancellation();
    call = context;
    if (closed) {
      context.cancel(null);
      return;
    }
    try {
      context.run(() -> {
        Iterator<RouteUpdate> updates = ControlPlaneServiceGrpc.newBlockingStub(channel)
            .watchRoutes(WatchRoutesRequest.newBuilder().setDataPlaneId(watcherId).build());
        boolean snapshotSeen = false;
        while (updates.hasNext()) {
          RouteUpdate update = updates.next();
          if (!snapshotSeen && !update.getFullSnapshot()) {
            LOG.atWarn().setMessage("route stream began with a delta; waiting for a snapshot").log();
            continue;
          }
          if (update.getFullSnapshot() && !snapshotSeen) {
            snapshotSeen = true;
            connected = true;
            backoff = backoff.reset();
            LOG.atInfo().setMessage("following the control plane").addKeyValue("control_plane", target)
                .addKeyValue("functions", update.getFunctionsCount()).addKeyValue("workers",
                    update.getWorkersCount()).log();
          }
          view.updateAndGet(v -> RouteMessages.apply(v, update));
          onChange.run();
          if (update.getVersion() > 0) {
            acknowledge(channel, update.getVersion());
          }
        }
      });
    } finally {
      context.cancel(null);
    }
  }

  private void acknowledge(ManagedChannel channel, long version) {
    RouteAcks.send(ControlPlaneServiceGrpc.newStub(channel), watcherId, version);
  }
}
