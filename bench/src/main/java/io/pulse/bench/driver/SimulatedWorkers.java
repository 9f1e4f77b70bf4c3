package io.pulse.bench.driver;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.pulse.api.v1.ControlPlaneServiceGrpc;
import io.pulse.api.v1.CreateSandboxRequest;
import io.pulse.api.v1.CreateSandboxResponse;
import io.pulse.api.v1.DeleteSandboxRequest;
import io.pulse.api.v1.DeleteSandboxResponse;
import io.pulse.api.v1.Endpoint;
import io.pulse.api.v1.HeartbeatRequest;
import io.pulse.api.v1.ListSandboxesRequest;
import io.pulse.api.v1.ListSandboxesResponse;
import io.pulse.api.v1.RegisterWorkerRequest;
import io.pulse.api.v1.Resources;
import io.pulse.api.v1.SandboxInfo;
import io.pulse.api.v1.SandboxState;
import io.pulse.api.v1.WorkerDescriptor;
import io.pulse.api.v1.WorkerServiceGrpc;
import io.pulse.common.grpc.GrpcChannels;
import io.pulse.worker.service.ListingGenerations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Many worker daemons simulated in this process for control-plane load tests: one gRPC server answers for all of
 * them, each worker advertising its own loopback address ({@code 127.x.y.z}, all routed to the host) so that the
 * address a call arrives on says which worker it is for. A creation is ready at once (a bare endpoint, no server);
 * workers register, heartbeat with their listings, and record when each creation arrived.
 */
public final class SimulatedWorkers implements AutoCloseable {

  /** When a creation command reached a simulated worker. */
  public record Arrival(String instanceId, String function, long nanos) {}

  private static final Context.Key<SocketAddress> LOCAL = Context.key("local-address");

  private final Server server;
  private final ManagedChannel controlPlane;
  private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "simulated-heartbeats");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, String> workerByHost = new ConcurrentHashMap<>();
  private final Map<String, Map<String, SandboxInfo>> sandboxes = new ConcurrentHashMap<>();
  private final Map<String, WorkerDescriptor> descriptors = new ConcurrentHashMap<>();
  private final Map<String, Long> lastHeartbeat = new ConcurrentHashMap<>();
  /** Each worker's listing generations, stamped on its listings and creations as a real worker's are. */
  private final Map<String, ListingGenerations> generations = new ConcurrentHashMap<>();
  private volatile long heartbeatNanos = TimeUnit.SECONDS.toNanos(1);
  private final ConcurrentLinkedQueue<Arrival> arrivals = new ConcurrentLinkedQueue<>();

  private SimulatedWorkers(Server server, ManagedChannel controlPlane) {
    this.server = server;
    this.controlPlane = controlPlane;
  }

  /** Starts the server and registers {@code count} workers with the control plane at {@code controlPlaneGrpc}. */
  public static SimulatedWorkers start(String controlPlaneGrpc, int count, int cpuMillis, int memoryMiB) {
    Service service = new Service();
    ServerInterceptor local = new ServerInterceptor() {
      @Override
      public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
          ServerCallHandler<Q, A> next) {
        return Contexts.interceptCall(Context.current().withValue(LOCAL,
            call.getAttributes().get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR)), call, headers, next);
      }
    };
    Server server;
    try {
      server = NettyServerBuilder.forAddress(new InetSocketAddress("0.0.0.0", 0))
          // Every handler is a few map operations: run them on the transport threads, no hand-off per call.
          .directExecutor()
          .permitKeepAliveTime(5, TimeUnit.SECONDS).permitKeepAliveWithoutCalls(true)
          .addService(ServerInterceptors.intercept(service, local)).build().start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the simulated workers' gRPC server", e);
    }
    SimulatedWorkers workers = new SimulatedWorkers(server, GrpcChannels.plaintext(controlPlaneGrpc));
    service.owner = workers;
    var stub = ControlPlaneServiceGrpc.newBlockingStub(workers.controlPlane);
    // Each worker heartbeats from its registration on, as real ones do: registering a thousand takes seconds, and
    // the first must not fall silent (and be declared dead) meanwhile.
    workers.heartbeats.scheduleAtFixedRate(workers::heartbeat, 100, 100, TimeUnit.MILLISECONDS);
    for (int i = 0; i < count; i++) {
      String host = "127.0." + (1 + i / 250) + "." + (1 + i % 250);
      String id = "sim-" + i;
      WorkerDescriptor descriptor = WorkerDescriptor.newBuilder().setWorkerId(id)
          .setAddress(host + ":" + server.getPort()).setHostname(id).setRuntime("fake")
          .setCapacity(Resources.newBuilder().setCpuMillis(cpuMillis).setMemoryMib(memoryMiB)).build();
      workers.workerByHost.put(host, id);
      workers.descriptors.put(id, descriptor);
      workers.generations.put(id, ListingGenerations.wallClock());
      int interval = stub.withDeadlineAfter(10, TimeUnit.SECONDS).registerWorker(RegisterWorkerRequest.newBuilder()
          .setWorker(descriptor).setListingGeneration(workers.generations.get(id).listing()).build())
          .getHeartbeatIntervalMs();
      workers.heartbeatNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(100, interval));
      workers.sandboxes.put(id, new ConcurrentHashMap<>());
    }
    return workers;
  }

  public List<Arrival> arrivals() {
    return new ArrayList<>(arrivals);
  }

  /** Forgets the arrivals so far (a warm-up's). */
  public void clearArrivals() {
    arrivals.clear();
  }

  public int sandboxCount() {
    return sandboxes.values().stream().mapToInt(Map::size).sum();
  }

  /** Every 100 ms: each registered worker whose period is up heartbeats; one the control plane forgot registers. */
  private void heartbeat() {
    var stub = ControlPlaneServiceGrpc.newStub(controlPlane);
    long now = System.nanoTime();
    sandboxes.forEach((id, held) -> {
      Long last = lastHeartbeat.get(id);
      if (last != null && now - last < heartbeatNanos) {
        return;
      }
      lastHeartbeat.put(id, now);
      ListingGenerations generation = generations.get(id);
      long listed = generation.listing(); // drawn before the table is read, as a real worker's (ListingGenerations)
      stub.withDeadlineAfter(5, TimeUnit.SECONDS).heartbeat(
          HeartbeatRequest.newBuilder().setWorkerId(id).addAllSandboxes(held.values()).setListingGeneration(listed)
              .build(),
          new StreamObserver<>() {
            @Override
            public void onNext(io.pulse.api.v1.HeartbeatResponse value) {
              if (!value.getRegistered()) {
                long relisted = generation.listing();
                stub.withDeadlineAfter(5, TimeUnit.SECONDS).registerWorker(RegisterWorkerRequest.newBuilder()
                    .setWorker(descriptors.get(id)).addAllSandboxes(held.values()).setListingGeneration(relisted)
                    .build(), IGNORED);
              }
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {}
          });
    });
  }

  private static final StreamObserver<io.pulse.api.v1.RegisterWorkerResponse> IGNORED = new StreamObserver<>() {
    @Override
    public void onNext(io.pulse.api.v1.RegisterWorkerResponse value) {}

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  };

  private String workerOf() {
    SocketAddress address = LOCAL.get();
    String host = address instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : "";
    String id = workerByHost.get(host);
    if (id == null) {
      throw new IllegalStateException("no simulated worker listens on " + host);
    }
    return id;
  }

  @Override
  public void close() {
    heartbeats.shutdownNow();
    GrpcChannels.close(controlPlane);
    server.shutdownNow();
  }

  /** The WorkerService of every simulated worker. */
  private static final class Service extends WorkerServiceGrpc.WorkerServiceImplBase {
    SimulatedWorkers owner;

    @Override
    public void createSandbox(CreateSandboxRequest request, StreamObserver<CreateSandboxResponse> observer) {
      long now = System.nanoTime();
      String worker = owner.workerOf();
      owner.arrivals.add(new Arrival(request.getInstanceId(), request.getSpec().getFunction(), now));
      SandboxInfo info = SandboxInfo.newBuilder().setInstanceId(request.getInstanceId())
          .setFunction(request.getSpec().getFunction()).setRevision(request.getSpec().getRevision())
          .setKind(request.getKind()).setEndpoint(Endpoint.newBuilder().setHost("127.0.0.1").setPort(9))
          .setCreatedAtMs(System.currentTimeMillis()).setResources(request.getSpec().getResources())
          .setState(SandboxState.READY).build();
      owner.sandboxes.get(worker).put(request.getInstanceId(), info);
      long recorded = owner.generations.get(worker).recorded(); // once the sandbox is in the table
      observer.onNext(CreateSandboxResponse.newBuilder().setSandbox(info).setListingGeneration(recorded).build());
      observer.onCompleted();
    }

    @Override
    public void deleteSandbox(DeleteSandboxRequest request, StreamObserver<DeleteSandboxResponse> observer) {
      boolean existed = owner.sandboxes.get(owner.workerOf()).remove(request.getInstanceId()) != null;
      observer.onNext(DeleteSandboxResponse.newBuilder().setExisted(existed).build());
      observer.onCompleted();
    }

    @Override
    public void listSandboxes(ListSandboxesRequest request, StreamObserver<ListSandboxesResponse> observer) {
      String worker = owner.workerOf();
      long listed = owner.generations.get(worker).listing(); // before the table is read
      observer.onNext(ListSandboxesResponse.newBuilder().setWorkerId(worker)
          .addAllSandboxes(owner.sandboxes.get(worker).values()).setListingGeneration(listed).build());
      observer.onCompleted();
    }
  }
}
