package io.pulse.k8sbridge.watch;

import io.pulse.common.grpc.GrpcChannels;
import io.pulse.common.leader.LeaderChannel;
import io.pulse.common.net.HostPort;
import io.pulse.common.retry.Backoff;
import io.pulse.common.routes.WatchRoutesClient;
import io.pulse.common.time.Timers;
import io.pulse.k8sbridge.view.ClusterView;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Follows the leader's {@code WatchRoutes} stream and publishes each new {@link ClusterView} by reference. The stream
 * (snapshot first, acknowledgements, finding the leader again after a failover and reconnecting with backoff
 * 200 ms .. 5 s) is {@link WatchRoutesClient}'s; until the new snapshot arrives the last view stands (a stale mirror
 * beats an empty one).
 */
public final class RouteFollower implements AutoCloseable {

  private static final Backoff RECONNECT = Backoff.doubling(200, 5000);

  private final LeaderChannel channel;
  private final WatchRoutesClient client;
  private final AtomicReference<ClusterView> view = new AtomicReference<>(ClusterView.EMPTY);

  /**
   * @param controlPlanes the control-plane replicas to ask for the leader (any of them)
   * @param watcherId the id the bridge watches under (the control plane counts it like a data plane)
   * @param onChange told after every new view (from gRPC's threads; must not block)
   */
  public RouteFollower(List<HostPort> controlPlanes, String watcherId, Runnable onChange) {
    this.channel = LeaderChannel.create(controlPlanes);
    this.client = new WatchRoutesClient(channel, watcherId, WatchRoutesClient.requestOf(watcherId), RECONNECT,
        Timers.virtualThreads("pulse-k8s-routes"), update -> {
          view.updateAndGet(v -> RouteMessages.apply(v, update));
          onChange.run();
        });
  }

  public void start() {
    client.start();
  }

  public ClusterView view() {
    return view.get();
  }

  /** Whether the current stream delivered its snapshot and is still open. */
  public boolean connected() {
    return client.connected();
  }

  /** The control-plane address the bridge follows now. */
  public String leader() {
    return client.target();
  }

  @Override
  public void close() {
    client.close();
    GrpcChannels.close(channel);
  }
}
