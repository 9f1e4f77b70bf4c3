package io.pulse.worker.testing;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.pulse.api.v1.ControlPlaneServiceGrpc;
import io.pulse.api.v1.HeartbeatRequest;
import io.pulse.api.v1.HeartbeatResponse;
import io.pulse.api.v1.RegisterWorkerRequest;
import io.pulse.api.v1.RegisterWorkerResponse;
import io.pulse.common.grpc.GrpcServers;
import io.pulse.common.net.HostPort;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A FAKE control plane for tests: a real gRPC server that records registrations and heartbeats and answers as told.
 * It implements only the worker-facing calls.
 */
public final class FakeControlPlane implements AutoCloseable {

  public final List<RegisterWorkerRequest> registrations = new CopyOnWriteArrayList<>();
  public final List<HeartbeatRequest> heartbeats = new CopyOnWriteArrayList<>();
  /** Registrations to fail with UNAVAILABLE before accepting one. */
  public final AtomicInteger failRegistrations = new AtomicInteger();
  /** Heartbeats to answer with registered=false. */
  public final AtomicInteger forgetWorker = new AtomicInteger();
  /** When set, the next heartbeat fails with this status. */
  public final AtomicReference<@Nullable Status> failNextHeartbeat = new AtomicReference<>();

  private final long epoch;
  private final int heartbeatIntervalMs;
  private final Server server;

  private FakeControlPlane(int port, long epoch, int heartbeatIntervalMs) {
    this.epoch = epoch;
    this.heartbeatIntervalMs = heartbeatIntervalMs;
    this.server = GrpcServers.start(new HostPort("127.0.0.1", port), List.of(new Service()));
  }

  /** Starts on {@code port} (0: any free port). */
  public static FakeControlPlane start(int port, long epoch, int heartbeatIntervalMs) {
    return new FakeControlPlane(port, epoch, heartbeatIntervalMs);
  }

  public int port() {
    return server.getPort();
  }

  public HostPort address() {
    return new HostPort("127.0.0.1", port());
  }

  public @Nullable HeartbeatRequest lastHeartbeat() {
    return heartbeats.isEmpty() ? null : heartbeats.getLast();
  }

  @Override
  public void close() {
    GrpcServers.stop(server, 500);
  }

  private final class Service extends ControlPlaneServiceGrpc.ControlPlaneServiceImplBase {

    @Override
    public void registerWorker(RegisterWorkerRequest request, StreamObserver<RegisterWorkerResponse> observer) {
      registrations.add(request);
      if (failRegistrations.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        observer.onError(Status.UNAVAILABLE.withDescription("fake: not now").asRuntimeException());
        return;
      }
      observer.onNext(RegisterWorkerResponse.newBuilder()
          .setEpoch(epoch).setHeartbeatIntervalMs(heartbeatIntervalMs).build());
      observer.onCompleted();
    }

    @Override
    public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> observer) {
      heartbeats.add(request);
      Status failure = failNextHeartbeat.getAndSet(null);
      if (failure != null) {
        observer.onError(failure.asRuntimeException());
        return;
      }
      boolean forget = forgetWorker.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
      observer.onNext(HeartbeatResponse.newBuilder().setRegistered(!forget).setEpoch(epoch).build());
      observer.onCompleted();
    }
  }
}
