package io.pulse.k8sbridge;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.pulse.api.v1.ControlPlaneServiceGrpc;
import io.pulse.api.v1.Endpoint;
import io.pulse.api.v1.FunctionRoute;
import io.pulse.api.v1.GetLeaderRequest;
import io.pulse.api.v1.HostReservations;
import io.pulse.api.v1.HostReservationsAck;
import io.pulse.api.v1.InstanceKind;
import io.pulse.api.v1.InstanceRoute;
import io.pulse.api.v1.LeaderInfo;
import io.pulse.api.v1.Resources;
import io.pulse.api.v1.RouteUpdate;
import io.pulse.api.v1.RoutesAck;
import io.pulse.api.v1.RoutesAckReply;
import io.pulse.api.v1.SandboxSpec;
import io.pulse.api.v1.WatchRoutesRequest;
import io.pulse.api.v1.WorkerDescriptor;
import io.pulse.common.grpc.GrpcServers;
import io.pulse.common.net.HostPort;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A FAKE control plane: a real gRPC server on loopback that serves WatchRoutes from state the test sets (every change
 * is sent as a full snapshot), answers GetLeader as told (UNIMPLEMENTED until told), and records host reservations
 * (or answers UNIMPLEMENTED, like today's control plane). Stands in for the real control plane so that the tests
 * choose workers, instances and failovers exactly.
 */
final class FakeControlPlane implements AutoCloseable {

  private final Server server;
  private final Map<String, WorkerDescriptor> workers = new LinkedHashMap<>();
  private final Map<String, FunctionRoute> functions = new LinkedHashMap<>();
  private final List<ServerCallStreamObserver<RouteUpdate>> watchers = new CopyOnWriteArrayList<>();
  private final AtomicLong version = new AtomicLong();
  private final AtomicLong acked = new AtomicLong();
  private final AtomicReference<@Nullable LeaderInfo> leader = new AtomicReference<>();
  private volatile boolean takesReservations;
  private final AtomicReference<@Nullable HostReservations> lastReservations = new AtomicReference<>();

  FakeControlPlane() {
    server = GrpcServers.start(new HostPort("127.0.0.1", 0), List.<BindableService>of(new Service()));
  }

  HostPort address() {
    return new HostPort("127.0.0.1", server.getPort());
  }

  static WorkerDescriptor worker(String id, String hostname, String ip) {
    return WorkerDescriptor.newBuilder().setWorkerId(id).setAddress(ip + ":9093").setHostname(hostname)
        .setCapacity(Resources.newBuilder().setCpuMillis(4000).setMemoryMib(8192)).setRuntime("process").build();
  }

  static InstanceRoute instance(String id, String workerId, String ip, int port, InstanceKind kind) {
    return InstanceRoute.newBuilder().setInstanceId(id).setWorkerId(workerId).setKind(kind)
        .setEndpoint(Endpoint.newBuilder().setHost(ip).setPort(port)).build();
  }

  static FunctionRoute function(String name, InstanceRoute... instances) {
    return FunctionRoute.newBuilder().setName(name).setRevision(3).setTargetConcurrency(1)
        .setSandbox(SandboxSpec.newBuilder().setFunction(name).setRevision(3)
            .setResources(Resources.newBuilder().setCpuMillis(250).setMemoryMib(128)))
        .addAllInstances(List.of(instances)).build();
  }

  synchronized void setWorkers(WorkerDescriptor... list) {
    workers.clear();
    for (WorkerDescriptor w : list) {
      workers.put(w.getWorkerId(), w);
    }
    publish();
  }

  synchronized void putFunction(FunctionRoute function) {
    functions.put(function.getName(), function);
    publish();
  }

  synchronized void removeFunction(String name) {
    functions.remove(name);
    publish();
  }

  /** The version of the last change; the bridge acknowledged it once {@link #acked()} reaches it. */
  long version() {
    return version.get();
  }

  long acked() {
    return acked.get();
  }

  void answerLeader(@Nullable LeaderInfo info) {
    leader.set(info);
  }

  void takeReservations(boolean takes) {
    takesReservations = takes;
  }

  @Nullable HostReservations lastReservations() {
    return lastReservations.get();
  }

  int watcherCount() {
    return (int) watchers.stream().filter(w -> !w.isCancelled()).count();
  }

  /** Ends every route stream, as a control plane that stops or loses the lead does. */
  void endStreams() {
    List<ServerCallStreamObserver<RouteUpdate>> ended = new ArrayList<>(watchers);
    watchers.clear();
    for (ServerCallStreamObserver<RouteUpdate> w : ended) {
      try {
        w.onError(Status.UNAVAILABLE.withDescription("not the leader").asRuntimeException());
      } catch (RuntimeException ignored) {
        // already gone
      }
    }
  }

  private synchronized RouteUpdate snapshot() {
    return RouteUpdate.newBuilder().setFullSnapshot(true).setVersion(version.get())
        .addAllFunctions(functions.values()).addAllWorkers(workers.values()).setWorkersChanged(true).build();
  }

  private synchronized void publish() {
    version.incrementAndGet();
    RouteUpdate update = snapshot();
    for (ServerCallStreamObserver<RouteUpdate> w : watchers) {
      synchronized (w) {
        if (!w.isCancelled()) {
          w.onNext(update);
        }
      }
    }
  }

  @Override
  public void close() {
    endStreams();
    GrpcServers.stop(server, 500);
  }

  private final class Service extends ControlPlaneServiceGrpc.ControlPlaneServiceImplBase {

    @Override
    public void watchRoutes(WatchRoutesRequest request, StreamObserver<RouteUpdate> observer) {
      ServerCallStreamObserver<RouteUpdate> call = (ServerCallStreamObserver<RouteUpdate>) observer;
      synchronized (FakeControlPlane.this) {
        synchronized (call) {
          call.onNext(snapshot());
        }
        watchers.add(call);
      }
    }

    @Override
    public void ackRoutes(RoutesAck request, StreamObserver<RoutesAckReply> observer) {
      acked.accumulateAndGet(request.getVersion(), Math::max);
      observer.onNext(RoutesAckReply.getDefaultInstance());
      observer.onCompleted();
    }

    @Override
    public void getLeader(GetLeaderRequest request, StreamObserver<LeaderInfo> observer) {
      LeaderInfo info = leader.get();
      if (info == null) {
        super.getLeader(request, observer);
        return;
      }
      observer.onNext(info);
      observer.onCompleted();
    }

    @Override
    public void reportHostReservations(HostReservations request, StreamObserver<HostReservationsAck> observer) {
      if (!takesReservations) {
        super.reportHostReservations(request, observer);
        return;
      }
      lastReservations.set(request);
      observer.onNext(HostReservationsAck.getDefaultInstance());
      observer.onCompleted();
    }
  }
}
