package io.pulse.controlplane;

import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.pulse.api.v1.ControlPlaneServiceGrpc;
import io.pulse.api.v1.FunctionLoad;
import io.pulse.api.v1.FunctionRoute;
import io.pulse.api.v1.HeartbeatRequest;
import io.pulse.api.v1.HeartbeatResponse;
import io.pulse.api.v1.InstanceRoute;
import io.pulse.api.v1.LoadReport;
import io.pulse.api.v1.RegisterWorkerRequest;
import io.pulse.api.v1.RegisterWorkerResponse;
import io.pulse.api.v1.RouteUpdate;
import io.pulse.api.v1.WatchRoutesRequest;
import io.pulse.api.v1.WorkerDescriptor;
import io.pulse.common.admin.Readiness;
import io.pulse.common.grpc.GrpcChannels;
import io.pulse.common.net.HostPort;
import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.registry.FunctionSpec;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A started control plane plus what the other components would do to it, over its real gRPC and HTTP ports: workers
 * registering and heartbeating (for {@link FakeWorker}s), a data plane watching routes and reporting load.
 */
final class ControlPlaneHarness implements AutoCloseable {

  static ControlPlaneConfig testConfig() {
    return ControlPlaneConfig.defaults()
        .withRestBind(new HostPort("127.0.0.1", 0))
        .withGrpcBind(new HostPort("127.0.0.1", 0))
        .withTickMs(100)
        .withHeartbeatIntervalMs(100)
        .withWorkerTimeoutMs(1000)
        .withDrainMs(50)
        .withStableWindowMs(2000)
        .withCreateRetryBackoffMs(100)
        .withCreateTimeoutMs(5000)
        .withReportIntervalMs(100)
        .withSecurity(io.pulse.controlplane.security.ApiSecurity.defaults().withToken(TestToken.VALUE));
  }

  static FunctionSpec spec(String name, int minScale, int keepAliveSeconds) {
    return new FunctionSpec(name, null, List.of("fake-function", "--port", "${PORT}"), 0, Map.of("GREETING", "hi"),
        new FunctionSpec.Resources(250, 128), new FunctionSpec.Scaling(minScale, 0, 1, keepAliveSeconds), 30);
  }

  final Vertx vertx = Vertx.vertx();
  final PrometheusRegistry metrics = new PrometheusRegistry();
  final Readiness readiness = new Readiness();
  final ControlPlane controlPlane;
  final ManagedChannel channel;
  final ControlPlaneServiceGrpc.ControlPlaneServiceBlockingStub stub;
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final Map<String, ScheduledFuture<?>> heartbeats = new ConcurrentHashMap<>();
  private final List<ScheduledFuture<?>> reporters = new CopyOnWriteArrayList<>();
  private final List<FakeWorker> fakeWorkers = new CopyOnWriteArrayList<>();

  ControlPlaneHarness(ControlPlaneConfig config) throws Exception {
    controlPlane = ControlPlane.start(vertx, config, metrics, readiness).toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    channel = GrpcChannels.plaintext("127.0.0.1:" + controlPlane.grpcPort());
    stub = ControlPlaneServiceGrpc.newBlockingStub(channel);
  }

  ControlPlaneHarness() throws Exception {
    this(testConfig());
  }

  FunctionRecord create(FunctionSpec spec) throws Exception {
    return controlPlane.registry().create(spec).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  /** Registers the worker and keeps it heartbeating with its current listing (re-registering when told to). */
  RegisterWorkerResponse join(FakeWorker worker) {
    RegisterWorkerResponse response = register(worker);
    heartbeats.put(worker.id, scheduler.scheduleWithFixedDelay(() -> {
      HeartbeatResponse answer = stub.withDeadlineAfter(2, TimeUnit.SECONDS).heartbeat(HeartbeatRequest.newBuilder()
          .setWorkerId(worker.id).addAllSandboxes(worker.listing()).addAllPools(worker.pools).build());
      if (!answer.getRegistered()) {
        register(worker);
      }
    }, 100, 100, TimeUnit.MILLISECONDS));
    return response;
  }

  RegisterWorkerResponse register(FakeWorker worker) {
    // Generous: the first call of a cold JVM on a loaded machine spends seconds connecting.
    return stub.withDeadlineAfter(10, TimeUnit.SECONDS).registerWorker(RegisterWorkerRequest.newBuilder()
        .setWorker(worker.descriptor()).addAllSandboxes(worker.listing()).build());
  }

  /** The worker goes silent (as if its machine died). */
  void silence(FakeWorker worker) {
    ScheduledFuture<?> beating = heartbeats.remove(worker.id);
    if (beating != null) {
      beating.cancel(false);
    }
  }

  void report(String dataPlaneId, FunctionLoad... loads) {
    stub.withDeadlineAfter(2, TimeUnit.SECONDS).reportLoad(LoadReport.newBuilder().setDataPlaneId(dataPlaneId)
        .setTimestampMs(System.currentTimeMillis()).addAllFunctions(List.of(loads)).build());
  }

  /** A data plane's report that {@code instanceId} has {@code inFlight} requests running through it. */
  void reportInFlight(String dataPlaneId, String function, String instanceId, int inFlight) {
    stub.withDeadlineAfter(2, TimeUnit.SECONDS).reportLoad(LoadReport.newBuilder().setDataPlaneId(dataPlaneId)
        .setTimestampMs(System.currentTimeMillis())
        .addUsage(io.pulse.api.v1.InstanceUsage.newBuilder().setInstanceId(instanceId).setFunction(function)
            .setKind(io.pulse.api.v1.InstanceKind.REGULAR).setBusyMicros(100_000).setInFlight(inFlight))
        .build());
  }

  /** A data plane's report of a failure it answered a caller for with a ref. */
  void reportFailure(String dataPlaneId, io.pulse.api.v1.FailureNote failure) {
    stub.withDeadlineAfter(2, TimeUnit.SECONDS).reportLoad(LoadReport.newBuilder().setDataPlaneId(dataPlaneId)
        .setTimestampMs(System.currentTimeMillis()).addFailures(failure).build());
  }

  /** Reports what {@code loads} supplies every 100 ms, as a data plane does, until the harness closes. */
  void reportContinuously(String dataPlaneId, Supplier<List<FunctionLoad>> loads) {
    reporters.add(scheduler.scheduleWithFixedDelay(
        () -> report(dataPlaneId, loads.get().toArray(FunctionLoad[]::new)), 0, 100, TimeUnit.MILLISECONDS));
  }

  static FunctionLoad load(String function, double average, int inFlight, int queued, long arrivals) {
    return FunctionLoad.newBuilder().setFunction(function).setAverageConcurrency(average).setInFlight(inFlight)
        .setQueued(queued).setArrivals(arrivals).build();
  }

  RouteWatcher watch(String dataPlaneId) {
    RouteWatcher watcher = new RouteWatcher();
    ControlPlaneServiceGrpc.newStub(channel).watchRoutes(
        WatchRoutesRequest.newBuilder().setDataPlaneId(dataPlaneId).build(), watcher);
    return watcher;
  }

  String scrapeMetrics() throws Exception {
    return get("/metrics").body();
  }

  HttpResponse<String> get(String path) throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controlPlane.restPort() + path))
          .header("Authorization", TestToken.BEARER).build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  /** A fake worker (4000 millicores, 4 GiB) that the harness closes with itself; not yet joined. */
  FakeWorker worker(String id) {
    FakeWorker worker = new FakeWorker(id, 4000, 4096);
    fakeWorkers.add(worker);
    return worker;
  }

  /** How the scheduling tests wait for a condition. */
  static org.awaitility.core.ConditionFactory eventually() {
    return org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .pollInterval(java.time.Duration.ofMillis(20));
  }

  @Override
  public void close() throws Exception {
    reporters.forEach(r -> r.cancel(false));
    heartbeats.values().forEach(h -> h.cancel(false));
    scheduler.shutdownNow();
    controlPlane.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    GrpcChannels.close(channel);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    fakeWorkers.forEach(FakeWorker::close);
  }

  /** A data plane's view of the routes, rebuilt from the stream exactly as the contract says. */
  static final class RouteWatcher implements StreamObserver<RouteUpdate> {

    final List<RouteUpdate> updates = new CopyOnWriteArrayList<>();
    final Map<String, FunctionRoute> functions = new ConcurrentHashMap<>();
    volatile List<WorkerDescriptor> workers = List.of();
    volatile boolean completed;
    volatile Throwable error;

    @Override
    public void onNext(RouteUpdate update) {
      if (update.getFullSnapshot()) {
        functions.clear();
      }
      update.getFunctionsList().forEach(f -> functions.put(f.getName(), f));
      update.getRemovedFunctionsList().forEach(functions::remove);
      if (update.getFullSnapshot() || update.getWorkersChanged()) {
        workers = List.copyOf(update.getWorkersList());
      }
      updates.add(update);
    }

    @Override
    public void onError(Throwable t) {
      error = t;
    }

    @Override
    public void onCompleted() {
      completed = true;
    }

    List<String> instanceIds(String function) {
      FunctionRoute route = functions.get(function);
      if (route == null) {
        return List.of();
      }
      List<String> ids = new ArrayList<>();
      for (InstanceRoute instance : route.getInstancesList()) {
        ids.add(instance.getInstanceId());
      }
      return ids;
    }

    List<InstanceRoute> instances(String function) {
      FunctionRoute route = functions.get(function);
      return route == null ? List.of() : route.getInstancesList();
    }
  }
}
