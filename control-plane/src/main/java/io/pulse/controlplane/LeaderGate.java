package io.pulse.controlplane;

import io.pulse.api.v1.LeaderInfo;
import io.pulse.controlplane.cluster.ClusterState;
import io.pulse.controlplane.cluster.ReplicaInfo;
import io.pulse.controlplane.grpc.ControlPlaneHandler;
import io.pulse.controlplane.instances.WorkerListing;
import io.pulse.controlplane.load.FunctionLoadSample;
import io.pulse.controlplane.membership.WorkerInfo;
import io.pulse.controlplane.registry.NotLeaderException;
import io.pulse.controlplane.routes.RouteSink;
import io.pulse.controlplane.routes.RoutesNotOpenException;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The ControlPlaneService's handler on every replica: the current term's scheduler on the leader; on a follower (or
 * between terms) every call that needs the leader fails with {@link NotLeaderException} naming the leader (the gRPC
 * service answers UNAVAILABLE, which sends clients back to GetLeader). Used on the control plane's context only,
 * except {@link #leaderInfo()}.
 */
final class LeaderGate implements ControlPlaneHandler {

  private final Supplier<ClusterState> cluster;
  private final Clock clock;
  private @Nullable ControlPlaneHandler leader;
  private long routesFromMillis;

  LeaderGate(Supplier<ClusterState> cluster, Clock clock) {
    this.cluster = cluster;
    this.clock = clock;
  }

  void lead(@Nullable ControlPlaneHandler handler) {
    lead(handler, 0);
  }

  /**
   * @param routesFromMillis route streams are refused before this time: a new leader first lets workers report what
   *     they run, so that its first snapshot does not tell data planes to forget endpoints that still serve (they keep
   *     their cached table meanwhile)
   */
  void lead(@Nullable ControlPlaneHandler handler, long routesFromMillis) {
    this.leader = handler;
    this.routesFromMillis = routesFromMillis;
  }

  /** Accepts route streams from now on, if {@code handler} still leads (its sweep of the workers is done). */
  void openRoutes(ControlPlaneHandler handler) {
    if (leader == handler) {
      routesFromMillis = 0;
    }
  }

  /** The GetLeader answer; any thread. */
  LeaderInfo leaderInfo() {
    ClusterState state = cluster.get();
    ReplicaInfo current = state.leader();
    if (current == null) {
      return LeaderInfo.newBuilder().setKnown(false).build();
    }
    return LeaderInfo.newBuilder().setKnown(true).setLeaderId(current.id()).setGrpcAddress(current.grpcAddress())
        .setRestAddress(current.restAddress()).setEpoch(state.epoch()).build();
  }

  private ControlPlaneHandler target() {
    ControlPlaneHandler handler = leader;
    if (handler == null) {
      ClusterState state = cluster.get();
      ReplicaInfo current = state.leader();
      boolean elsewhere = current != null && !current.id().equals(state.self().id());
      String where = elsewhere ? " (leader " + current.id() + " at " + current.grpcAddress() + ")" : "";
      throw new NotLeaderException("not the leader: " + state.refusal() + where, elsewhere ? current.id() : null,
          elsewhere ? current.restAddress() : null);
    }
    return handler;
  }

  @Override
  public Registration registerWorker(WorkerInfo worker, WorkerListing listing) {
    return target().registerWorker(worker, listing);
  }

  @Override
  public HeartbeatAnswer heartbeat(String workerId, WorkerListing listing) {
    return target().heartbeat(workerId, listing);
  }

  @Override
  public void reportLoad(String dataPlaneId, List<FunctionLoadSample> functions) {
    target().reportLoad(dataPlaneId, functions);
  }

  @Override
  public void reportUsage(String dataPlaneId, List<io.pulse.controlplane.accounting.UsageSample> usage,
      List<io.pulse.controlplane.accounting.ExpeditedSample> expedited) {
    ControlPlaneHandler handler = leader;
    if (handler != null) {
      handler.reportUsage(dataPlaneId, usage, expedited);
    }
  }

  @Override
  public void reportFailures(String dataPlaneId,
      List<io.pulse.controlplane.status.FunctionStatus.Failure> failures) {
    ControlPlaneHandler handler = leader;
    if (handler != null) {
      handler.reportFailures(dataPlaneId, failures);
    }
  }

  @Override
  public void reportPools(String workerId, List<io.pulse.controlplane.status.FunctionStatus.Pool> pools) {
    ControlPlaneHandler handler = leader;
    if (handler != null) {
      handler.reportPools(workerId, pools);
    }
  }

  @Override
  public void reportInFlight(String dataPlaneId, java.util.Map<String, Integer> inFlightByInstance) {
    ControlPlaneHandler handler = leader;
    if (handler != null) {
      handler.reportInFlight(dataPlaneId, inFlightByInstance);
    }
  }

  @Override
  public void hostReservations(String bridgeId,
      java.util.Map<String, io.pulse.controlplane.placement.HostReservations.Reserved> hosts) {
    target().hostReservations(bridgeId, hosts);
  }

  @Override
  public void watchRoutes(String dataPlaneId, RouteSink sink) {
    ControlPlaneHandler handler = target();
    if (clock.millis() < routesFromMillis) {
      throw new RoutesNotOpenException();
    }
    handler.watchRoutes(dataPlaneId, sink);
  }

  @Override
  public void routeSinkReady(RouteSink sink) {
    ControlPlaneHandler handler = leader;
    if (handler != null) {
      handler.routeSinkReady(sink);
    }
  }

  @Override
  public void routesApplied(String dataPlaneId, long version) {
    target().routesApplied(dataPlaneId, version);
  }

  @Override
  public void routeSinkClosed(String dataPlaneId, RouteSink sink) {
    ControlPlaneHandler handler = leader;
    if (handler != null) {
      handler.routeSinkClosed(dataPlaneId, sink);
    }
  }
}
