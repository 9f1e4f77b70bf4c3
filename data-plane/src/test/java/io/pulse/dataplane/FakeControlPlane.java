package io.pulse.dataplane;

import io.grpc.Server;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.pulse.api.v1.ControlPlaneServiceGrpc;
import io.pulse.api.v1.Endpoint;
import io.pulse.api.v1.FunctionRoute;
import io.pulse.api.v1.InstanceKind;
import io.pulse.api.v1.InstanceRoute;
import io.pulse.api.v1.LoadReport;
import io.pulse.api.v1.LoadReportAck;
import io.pulse.api.v1.RouteUpdate;
import io.pulse.api.v1.WatchRoutesRequest;
import io.pulse.common.grpc.GrpcServers;
import io.pulse.common.net.HostPort;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A test double of the control plane: a real gRPC server on a free port. The test sets the functions it knows
 * (each change is pushed to every watching data plane as a delta; new watchers get a full snapshot) and reads the
 * load reports it received.
 */
final class FakeControlPlane implements AutoCloseable {

  private final Map<String, FunctionRoute> functions = new LinkedHashMap<>(); // guarded by this
  private final List<ServerCallStreamObserver<RouteUpdate>> watchers = new ArrayList<>(); // guarded by this
  private final List<LoadReport> reports = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicInteger reportFailures = new java.util.concurrent.atomic.AtomicInteger();
  private final AtomicInteger watchCalls = new AtomicInteger();
  private volatile Consumer<LoadReport> onReport = report -> {};
  private volatile Server server;
  private final int port;

  private FakeControlPlane(int port) {
    this.server = GrpcServers.start(new HostPort("127.0.0.1", port), List.of(new Service()));
    this.port = server.getPort();
  }

  static FakeControlPlane start() {
    return new FakeControlPlane(0);
  }

  HostPort address() {
    return new HostPort("127.0.0.1", port);
  }

  /** Adds or replaces a function and pushes it to the watchers. */
  synchronized void upsert(FunctionRoute route) {
    functions.put(route.getName(), route);
    push(RouteUpdate.newBuilder().addFunctions(route).build());
  }

  /** Removes a function and tells the watchers. */
  synchronized void remove(String name) {
    functions.remove(name);
    push(RouteUpdate.newBuilder().addRemovedFunctions(name).build());
  }

  /** Changes what the next snapshot holds without telling current watchers (as if changed while they were away). */
  synchronized void replaceSilently(List<FunctionRoute> routes) {
    functions.clear();
    routes.forEach(r -> functions.put(r.getName(), r));
  }

  synchronized void push(RouteUpdate update) {
    for (ServerCallStreamObserver<RouteUpdate> watcher : List.copyOf(watchers)) {
      try {
        watcher.onNext(update);
      } catch (RuntimeException e) {
        watchers.remove(watcher); // cancelled by the client
      }
    }
  }

  synchronized int watchers() {
    return watchers.size();
  }

  int watchCalls() {
    return watchCalls.get();
  }

  /** The next {@code count} load reports fail with UNAVAILABLE (as during a leader failover). */
  void failNextReports(int count) {
    reportFailures.set(count);
  }

  List<LoadReport> reports() {
    return List.copyOf(reports);
  }

  void onReport(Consumer<LoadReport> listener) {
    this.onReport = listener;
  }

  /** Stops the server abruptly: open streams fail on the data plane's side. */
  void stop() {
    synchronized (this) {
      watchers.clear();
    }
    server.shutdownNow();
    try {
      server.awaitTermination();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts again on the same port. */
  void restart() {
    server = GrpcServers.start(new HostPort("127.0.0.1", port), List.of(new Service()));
  }

  @Override
  public void close() {
    stop();
  }

  private synchronized void watch(ServerCallStreamObserver<RouteUpdate> observer) {
    watchCalls.incrementAndGet();
    observer.onNext(RouteUpdate.newBuilder().setFullSnapshot(true).addAllFunctions(functions.values())
        .setWorkersChanged(true).build());
    watchers.add(observer);
    observer.setOnCancelHandler(() -> {
      synchronized (FakeControlPlane.this) {
        watchers.remove(observer);
      }
    });
  }

  private final class Service extends ControlPlaneServiceGrpc.ControlPlaneServiceImplBase {
    @Override
    public void watchRoutes(WatchRoutesRequest request, StreamObserver<RouteUpdate> observer) {
      watch((ServerCallStreamObserver<RouteUpdate>) observer);
    }

    @Override
    public void reportLoad(LoadReport report, StreamObserver<LoadReportAck> observer) {
      if (reportFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        observer.onError(io.grpc.Status.UNAVAILABLE.withDescription("fake: report refused").asRuntimeException());
        return;
      }
      reports.add(report);
      onReport.accept(report);
      observer.onNext(LoadReportAck.getDefaultInstance());
      observer.onCompleted();
    }
  }

  // --- builders for the routes tests push ---

  /** A function with no ready instance (scaled to zero). */
  static FunctionRoute route(String name) {
    return route(name, 1, 30);
  }

  static FunctionRoute route(String name, int slots, InstanceRoute... instances) {
    return route(name, slots, 30, instances);
  }

  static FunctionRoute route(String name, int slots, int timeoutSeconds, InstanceRoute... instances) {
    return FunctionRoute.newBuilder().setName(name).setRevision(1).setTargetConcurrency(slots)
        .setTimeoutSeconds(timeoutSeconds).addAllInstances(List.of(instances)).build();
  }

  static InstanceRoute instance(String id, int port) {
    return InstanceRoute.newBuilder().setInstanceId(id)
        .setEndpoint(Endpoint.newBuilder().setHost("127.0.0.1").setPort(port)).setWorkerId("w1")
        .setKind(InstanceKind.REGULAR).build();
  }
}
