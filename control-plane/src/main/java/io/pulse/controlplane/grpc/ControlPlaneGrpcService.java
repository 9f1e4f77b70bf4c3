package io.pulse.controlplane.grpc;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.pulse.api.v1.ControlPlaneServiceGrpc;
import io.pulse.api.v1.GetLeaderRequest;
import io.pulse.api.v1.HeartbeatRequest;
import io.pulse.api.v1.HeartbeatResponse;
import io.pulse.api.v1.HostReservations;
import io.pulse.api.v1.HostReservationsAck;
import io.pulse.api.v1.LeaderInfo;
import io.pulse.api.v1.LoadReport;
import io.pulse.api.v1.LoadReportAck;
import io.pulse.api.v1.RegisterWorkerRequest;
import io.pulse.api.v1.RegisterWorkerResponse;
import io.pulse.api.v1.RouteUpdate;
import io.pulse.api.v1.RoutesAck;
import io.pulse.api.v1.RoutesAckReply;
import io.pulse.api.v1.WatchRoutesRequest;
import io.pulse.common.grpc.GrpcFutures;
import io.pulse.controlplane.async.Gateways;
import io.pulse.controlplane.secrets.SecretValues;
import io.pulse.controlplane.routes.RouteDelta;
import io.pulse.controlplane.routes.RouteSink;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ControlPlaneService: converts messages at the edge and runs every call on the control plane's context, so the
 * handler behind it never sees two calls at once.
 */
public final class ControlPlaneGrpcService extends ControlPlaneServiceGrpc.ControlPlaneServiceImplBase {

  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneGrpcService.class);

  private final Context context;
  private final WorkerRegistrations registrations;
  private final LoadReports loads;
  private final StatusReports statuses;
  private final RouteWatching routes;
  private final BridgeReservations bridges;
  private final int readinessTimeoutMillis;
  private final Supplier<LeaderInfo> leader;
  private final SecretValues secrets;
  private final Gateways gateways;

  /**
   * @param readinessTimeoutMillis put in the sandbox specs of routes (for emergency creations by data planes)
   */
  public ControlPlaneGrpcService(Context context, ControlPlaneHandler handler, int readinessTimeoutMillis) {
    this(context, handler, readinessTimeoutMillis, () -> LeaderInfo.newBuilder().setKnown(false).build());
  }

  /** @param leader answers GetLeader (any thread, never blocks) */
  public ControlPlaneGrpcService(Context context, ControlPlaneHandler handler, int readinessTimeoutMillis,
      Supplier<LeaderInfo> leader) {
    this(context, handler, readinessTimeoutMillis, leader, SecretValues.NONE);
  }

  /** @param secrets opens the secrets of the sandbox specs in routes (the data planes' expedited creations) */
  public ControlPlaneGrpcService(Context context, ControlPlaneHandler handler, int readinessTimeoutMillis,
      Supplier<LeaderInfo> leader, SecretValues secrets) {
    this(context, handler, readinessTimeoutMillis, leader, secrets, new Gateways());
  }

  /** @param gateways learns the gateway of every data plane whose route stream this replica serves */
  public ControlPlaneGrpcService(Context context, ControlPlaneHandler handler, int readinessTimeoutMillis,
      Supplier<LeaderInfo> leader, SecretValues secrets, Gateways gateways) {
    this.gateways = gateways;
    this.context = context;
    this.registrations = handler;
    this.loads = handler;
    this.statuses = handler;
    this.routes = handler;
    this.bridges = handler;
    this.readinessTimeoutMillis = readinessTimeoutMillis;
    this.leader = leader;
    this.secrets = secrets;
  }

  @Override
  public void getLeader(GetLeaderRequest request, StreamObserver<LeaderInfo> observer) {
    observer.onNext(leader.get());
    observer.onCompleted();
  }

  @Override
  public void registerWorker(RegisterWorkerRequest request, StreamObserver<RegisterWorkerResponse> observer) {
    GrpcFutures.reply(onContext(() -> {
      WorkerRegistrations.Registration registration = registrations.registerWorker(Protos.workerInfo(request.getWorker()),
          Protos.listing(request.getListingGeneration(), request.getSandboxesList()));
      return RegisterWorkerResponse.newBuilder().setEpoch(registration.epoch())
          .setHeartbeatIntervalMs(registration.heartbeatIntervalMillis()).build();
    }), observer);
  }

  @Override
  public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> observer) {
    GrpcFutures.reply(onContext(() -> {
      require(!request.getWorkerId().isEmpty(), "worker_id must not be empty");
      WorkerRegistrations.HeartbeatAnswer answer = registrations.heartbeat(request.getWorkerId(),
          Protos.listing(request.getListingGeneration(), request.getSandboxesList()));
      if (answer.registered()) {
        statuses.reportPools(request.getWorkerId(), Protos.pools(request.getWorkerId(), request.getPoolsList()));
      }
      return HeartbeatResponse.newBuilder().setRegistered(answer.registered()).setEpoch(answer.epoch()).build();
    }), observer);
  }

  @Override
  public void reportLoad(LoadReport request, StreamObserver<LoadReportAck> observer) {
    GrpcFutures.reply(onContext(() -> {
      require(!request.getDataPlaneId().isEmpty(), "data_plane_id must not be empty");
      loads.reportLoad(request.getDataPlaneId(), Protos.loadSamples(request.getFunctionsList()));
      loads.reportUsage(request.getDataPlaneId(), UsageProtos.usage(request.getUsageList()),
          UsageProtos.expedited(request.getFunctionsList()));
      loads.reportInFlight(request.getDataPlaneId(), UsageProtos.inFlight(request.getUsageList()));
      if (request.getFailuresCount() > 0) {
        statuses.reportFailures(request.getDataPlaneId(),
            UsageProtos.failures(request.getDataPlaneId(), request.getFailuresList()));
      }
      return LoadReportAck.getDefaultInstance();
    }), observer);
  }

  @Override
  public void reportHostReservations(HostReservations request, StreamObserver<HostReservationsAck> observer) {
    GrpcFutures.reply(onContext(() -> {
      require(!request.getBridgeId().isEmpty(), "bridge_id must not be empty");
      bridges.hostReservations(request.getBridgeId(), Protos.hostReservations(request.getHostsList()));
      return HostReservationsAck.getDefaultInstance();
    }), observer);
  }

  @Override
  public void ackRoutes(RoutesAck request, StreamObserver<RoutesAckReply> observer) {
    GrpcFutures.reply(onContext(() -> {
      require(!request.getDataPlaneId().isEmpty(), "data_plane_id must not be empty");
      routes.routesApplied(request.getDataPlaneId(), request.getVersion());
      return RoutesAckReply.getDefaultInstance();
    }), observer);
  }

  @Override
  public void watchRoutes(WatchRoutesRequest request, StreamObserver<RouteUpdate> observer) {
    String dataPlaneId = request.getDataPlaneId();
    if (dataPlaneId.isEmpty()) {
      observer.onError(Status.INVALID_ARGUMENT.withDescription("data_plane_id must not be empty")
          .asRuntimeException());
      return;
    }
    ServerCallStreamObserver<RouteUpdate> call = (ServerCallStreamObserver<RouteUpdate>) observer;
    GrpcRouteSink sink = new GrpcRouteSink(dataPlaneId, call, readinessTimeoutMillis, secrets);
    // Both handlers must be set before this method returns; they only hop onto the context.
    call.setOnReadyHandler(() -> context.runOnContext(v -> routes.routeSinkReady(sink)));
    call.setOnCancelHandler(() -> context.runOnContext(v -> {
      sink.cancelled();
      gateways.closed(dataPlaneId, sink);
      routes.routeSinkClosed(dataPlaneId, sink);
    }));
    context.runOnContext(v -> {
      try {
        routes.watchRoutes(dataPlaneId, sink);
        gateways.opened(dataPlaneId, request.getGatewayUrl(), sink);
      } catch (RuntimeException e) {
        // Not the leader (UNAVAILABLE naming it): the data plane asks GetLeader and reconnects there.
        sink.cancelled();
        call.onError(Refusals.toStatus(e));
      }
    });
  }

  private <T> Future<T> onContext(Callable<T> work) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> {
      try {
        promise.complete(work.call());
      } catch (Exception e) {
        promise.fail(Refusals.toStatus(e));
      }
    });
    return promise.future();
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /** A route stream over one server call. Used on the context only. */
  private static final class GrpcRouteSink implements RouteSink {

    private final String dataPlaneId;
    private final ServerCallStreamObserver<RouteUpdate> call;
    private final int readinessTimeoutMillis;
    private final SecretValues secrets;
    private boolean done;

    GrpcRouteSink(String dataPlaneId, ServerCallStreamObserver<RouteUpdate> call, int readinessTimeoutMillis,
        SecretValues secrets) {
      this.dataPlaneId = dataPlaneId;
      this.call = call;
      this.readinessTimeoutMillis = readinessTimeoutMillis;
      this.secrets = secrets;
    }

    @Override
    public String dataPlaneId() {
      return dataPlaneId;
    }

    void cancelled() {
      done = true;
    }

    @Override
    public boolean isReady() {
      return !done && call.isReady();
    }

    @Override
    public void send(RouteDelta delta, long version) {
      if (done) {
        return;
      }
      try {
        call.onNext(Protos.routeUpdate(delta, version, readinessTimeoutMillis, secrets));
      } catch (RuntimeException e) {
        // The peer went away between the readiness check and the write; the cancel handler cleans up.
        done = true;
        LOG.atDebug().setMessage("route stream write failed").addKeyValue("error", e.toString()).log();
      }
    }

    @Override
    public void close() {
      if (!done) {
        done = true;
        try {
          call.onCompleted();
        } catch (RuntimeException e) {
          LOG.atDebug().setMessage("route stream close failed").addKeyValue("error", e.toString()).log();
        }
      }
    }
  }
}
