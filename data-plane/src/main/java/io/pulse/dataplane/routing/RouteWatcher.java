package io.pulse.dataplane.routing;

import io.pulse.api.v1.WatchRoutesRequest;
import io.pulse.common.leader.LeaderChannel;
import io.pulse.common.retry.Backoff;
import io.pulse.common.routes.WatchRoutesClient;
import io.pulse.common.time.Timers;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * Keeps {@link RoutingState} in step with the control plane: each {@code WatchRoutes} message becomes a
 * {@link RouteDelta} applied to the state. The stream itself (snapshot first, acknowledgements, reconnecting with
 * backoff 50 .. 250 ms to the leader) is {@link WatchRoutesClient}'s; until the next snapshot the last table keeps
 * serving (stale routes beat no routes).
 */
public final class RouteWatcher {

  /**
   * Short: while a new leader is elected every attempt fails at once, and a ceiling of seconds left the first route
   * of the new term (a request waiting for a cold start) waiting up to that long after the leader published it.
   */
  static final Backoff RECONNECT = Backoff.doubling(50, 250);
  /** A tenth jitter, seeded by the data plane's id, so data planes that lost the same leader come back spread. */
  private static final double JITTER = 0.1;

  private final WatchRoutesClient client;

  /** @param gatewayUrl where the leader sends async invocations through this data plane (read at each connect) */
  public RouteWatcher(Vertx vertx, LeaderChannel channel, String dataPlaneId, RoutingState state,
      Supplier<String> gatewayUrl) {
    this.client = new WatchRoutesClient(channel, dataPlaneId,
        () -> WatchRoutesRequest.newBuilder().setDataPlaneId(dataPlaneId).setGatewayUrl(gatewayUrl.get()).build(),
        RECONNECT.jittered(JITTER, dataPlaneId.hashCode()), Timers.of(vertx),
        update -> state.apply(RouteMessages.delta(update)));
  }

  public void start() {
    client.start();
  }

  /** Whether a full snapshot has arrived at least once (the data plane's readiness). */
  public boolean snapshotReceived() {
    return client.snapshotReceived();
  }

  /** Whether the current stream has delivered its snapshot and is still open. */
  public boolean connected() {
    return client.connected();
  }

  public void close() {
    client.close();
  }
}
