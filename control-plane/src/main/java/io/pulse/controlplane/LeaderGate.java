package io.pulse.controlplane;

import io.grpc.Status;
import io.pulse.api.v1.LeaderInfo;
import io.pulse.controlplane.cluster.ClusterState;
import io.pulse.controlplane.cluster.ReplicaInfo;
import io.pulse.controlplane.grpc.ControlPlaneHandler;
import io.pulse.controlplane.instances.ReportedSandbox;
import io.pulse.controlplane.load.FunctionLoadSample;
import io.pulse.controlplane.membership.WorkerInfo;
import io.pulse.controlplane.routes.RouteSink;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The ControlPlaneService's handler on every replica: the current term's scheduler on the leader; on a follower (or
 * between terms) every call that needs the leader fails with UNAVAILABLE and a description naming the leader, which
 * sends clients back to GetLeader. Used on the control plane's context only, except {@link #leaderInfo()}.
 */
final class LeaderGate implements ControlPlaneHandler {

  private final Supplier<ClusterState> cluster;
  private @Nullable ControlPlaneHandler leader;

  LeaderGate(Supplier<ClusterState> cluster) {
    this.cluster = cluster;
  }

  void lead(@Nullable ControlPlaneHandler handler) {
    this.leader = handler;
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
      String where = current == null || current.id().equals(state.self().id()) ? ""
          : " (leader " + current.id() + " at " + current.grpcAddress() + ")";
      throw Status.UNAVAILABLE.withDescription("not the leader: " + state.refusal() + where).asRuntimeException();
    }
    return handler;
  }

  @Override
  public Registration registerWorker(WorkerInfo worker, List<ReportedSandbox> sandboxes) {
    return target().registerWorker(worker, sandboxes);
  }

  @Override
  public HeartbeatAnswer heartbeat(String workerId, List<ReportedSandbox> sandboxes) {
    return target().heartbeat(workerId, sandboxes);
  }

  @Override
  public void reportLoad(String dataPlaneId, List<FunctionLoadSample> functions) {
    target().reportLoad(dataPlaneId, functions);
  }

  @Override
  public void watchRoutes(String dataPlaneId, RouteSink sink) {
    target().watchRoutes(dataPlaneId, sink);
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
