package io.pulse.controlplane;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.pulse.api.v1.CreateSandboxRequest;
import io.pulse.api.v1.CreateSandboxResponse;
import io.pulse.api.v1.DeleteSandboxRequest;
import io.pulse.api.v1.DeleteSandboxResponse;
import io.pulse.api.v1.Endpoint;
import io.pulse.api.v1.InstanceKind;
import io.pulse.api.v1.ListSandboxesRequest;
import io.pulse.api.v1.ListSandboxesResponse;
import io.pulse.api.v1.Resources;
import io.pulse.api.v1.SandboxInfo;
import io.pulse.api.v1.SandboxState;
import io.pulse.api.v1.WorkerDescriptor;
import io.pulse.api.v1.WorkerServiceGrpc;
import io.pulse.common.grpc.GrpcServers;
import io.pulse.common.net.HostPort;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test double of a worker daemon: a real gRPC WorkerService on a free port that records every command and answers
 * creations with a made-up endpoint, without running anything.
 */
final class FakeWorker implements AutoCloseable {

  private static final AtomicInteger NEXT_PORT = new AtomicInteger(20_000);

  final String id;
  final List<CreateSandboxRequest> creates = new CopyOnWriteArrayList<>();
  final List<DeleteSandboxRequest> deletes = new CopyOnWriteArrayList<>();
  final Map<String, SandboxInfo> sandboxes = new ConcurrentHashMap<>();
  final AtomicInteger failNextCreates = new AtomicInteger();
  /** While set, creations are answered only by {@link #releaseCreates()}: the control plane sees them pending. */
  final java.util.concurrent.atomic.AtomicBoolean holdCreates = new java.util.concurrent.atomic.AtomicBoolean();
  private final List<Runnable> heldCreates = new CopyOnWriteArrayList<>();
  /** Images asked for with PrepareImage; one whose reference contains "missing" is answered NOT_FOUND. */
  final List<String> preparedImages = new CopyOnWriteArrayList<>();
  /** The sandbox pools its heartbeats report. */
  final List<io.pulse.api.v1.PoolReport> pools = new CopyOnWriteArrayList<>();
  /** SetPoolTarget requests received. */
  final List<io.pulse.api.v1.SetPoolTargetRequest> poolTargets = new CopyOnWriteArrayList<>();
  /** The runtime it registers with. */
  volatile String runtime = "fake";
  /** The pool budget it registers with (members; 64 MiB each). */
  volatile int poolMembers;
  private final int cpuMillis;
  private final int memoryMiB;
  private final Server server;

  FakeWorker(String id, int cpuMillis, int memoryMiB) {
    this.id = id;
    this.cpuMillis = cpuMillis;
    this.memoryMiB = memoryMiB;
    this.server = GrpcServers.start(new HostPort("127.0.0.1", 0), List.of(new Service()));
  }

  WorkerDescriptor descriptor() {
    return WorkerDescriptor.newBuilder().setWorkerId(id).setAddress("127.0.0.1:" + server.getPort())
        .setHostname("fake-host").setRuntime(runtime)
        .setCapacity(Resources.newBuilder().setCpuMillis(cpuMillis).setMemoryMib(memoryMiB))
        .setPoolMembers(poolMembers).setPoolMemoryMib(64 * poolMembers).build();
  }

  List<SandboxInfo> listing() {
    return List.copyOf(sandboxes.values());
  }

  List<String> createdIds() {
    return creates.stream().map(CreateSandboxRequest::getInstanceId).toList();
  }

  List<String> deletedIds() {
    return deletes.stream().map(DeleteSandboxRequest::getInstanceId).toList();
  }

  /** A sandbox this worker runs although nobody asked this control plane for it. */
  SandboxInfo plant(String instanceId, String function, long revision, InstanceKind kind) {
    SandboxInfo info = SandboxInfo.newBuilder().setInstanceId(instanceId).setFunction(function)
        .setRevision(revision).setKind(kind).setState(SandboxState.READY)
        .setEndpoint(Endpoint.newBuilder().setHost("127.0.0.1").setPort(NEXT_PORT.incrementAndGet()))
        .setResources(Resources.newBuilder().setCpuMillis(250).setMemoryMib(128))
        .setCreatedAtMs(System.currentTimeMillis()).build();
    sandboxes.put(instanceId, info);
    return info;
  }

  int holdCount() {
    return heldCreates.size();
  }

  /** Answers every creation held so far, and stops holding new ones. */
  void releaseCreates() {
    holdCreates.set(false);
    List<Runnable> held = List.copyOf(heldCreates);
    heldCreates.removeAll(held);
    held.forEach(Runnable::run);
  }

  @Override
  public void close() {
    GrpcServers.stop(server, 100);
  }

  private final class Service extends WorkerServiceGrpc.WorkerServiceImplBase {

    @Override
    public void createSandbox(CreateSandboxRequest request, StreamObserver<CreateSandboxResponse> observer) {
      if (holdCreates.get()) {
        heldCreates.add(() -> createSandbox(request, observer));
        return;
      }
      creates.add(request);
      if (failNextCreates.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        observer.onError(Status.UNAVAILABLE.withDescription("injected failure").asRuntimeException());
        return;
      }
      SandboxInfo info = SandboxInfo.newBuilder().setInstanceId(request.getInstanceId())
          .setFunction(request.getSpec().getFunction()).setRevision(request.getSpec().getRevision())
          .setKind(request.getKind()).setState(SandboxState.READY)
          .setEndpoint(Endpoint.newBuilder().setHost("127.0.0.1").setPort(NEXT_PORT.incrementAndGet()))
          .setResources(request.getSpec().getResources()).setCreatedAtMs(System.currentTimeMillis()).build();
      sandboxes.put(request.getInstanceId(), info);
      observer.onNext(CreateSandboxResponse.newBuilder().setSandbox(info).build());
      observer.onCompleted();
    }

    @Override
    public void deleteSandbox(DeleteSandboxRequest request, StreamObserver<DeleteSandboxResponse> observer) {
      deletes.add(request);
      boolean existed = sandboxes.remove(request.getInstanceId()) != null;
      observer.onNext(DeleteSandboxResponse.newBuilder().setExisted(existed).build());
      observer.onCompleted();
    }

    @Override
    public void setPoolTarget(io.pulse.api.v1.SetPoolTargetRequest request,
        StreamObserver<io.pulse.api.v1.SetPoolTargetResponse> observer) {
      poolTargets.add(request);
      observer.onNext(io.pulse.api.v1.SetPoolTargetResponse.getDefaultInstance());
      observer.onCompleted();
    }

    @Override
    public void prepareImage(io.pulse.api.v1.PrepareImageRequest request,
        StreamObserver<io.pulse.api.v1.PrepareImageResponse> observer) {
      preparedImages.add(request.getImage());
      if (request.getImage().contains("missing")) {
        observer.onError(Status.NOT_FOUND.withDescription("manifest unknown: " + request.getImage())
            .asRuntimeException());
        return;
      }
      observer.onNext(io.pulse.api.v1.PrepareImageResponse.newBuilder().setDigest("sha256:feed")
          .setPullMicros(1500).build());
      observer.onCompleted();
    }

    @Override
    public void listSandboxes(ListSandboxesRequest request, StreamObserver<ListSandboxesResponse> observer) {
      observer.onNext(ListSandboxesResponse.newBuilder().setWorkerId(id).addAllSandboxes(listing()).build());
      observer.onCompleted();
    }
  }
}
