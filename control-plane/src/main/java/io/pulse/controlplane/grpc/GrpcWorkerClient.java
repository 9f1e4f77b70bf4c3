package io.pulse.controlplane.grpc;

import io.grpc.ManagedChannel;
import io.pulse.api.v1.CreateSandboxRequest;
import io.pulse.api.v1.CreateSandboxResponse;
import io.pulse.api.v1.DeleteSandboxRequest;
import io.pulse.api.v1.DeleteSandboxResponse;
import io.pulse.api.v1.InstanceKind;
import io.pulse.api.v1.ListSandboxesRequest;
import io.pulse.api.v1.ListSandboxesResponse;
import io.pulse.api.v1.WorkerServiceGrpc;
import io.pulse.common.grpc.GrpcChannels;
import io.pulse.common.grpc.GrpcFutures;
import io.pulse.common.net.HostPort;
import io.pulse.controlplane.instances.ReportedSandbox;
import io.pulse.controlplane.instances.WorkerClient;
import io.pulse.controlplane.membership.WorkerInfo;
import io.pulse.controlplane.registry.FunctionRecord;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** WorkerService over grpc-java, one channel per worker; answers complete on the given context. */
public final class GrpcWorkerClient implements WorkerClient {

  /** The worker fails a creation at the readiness timeout; the call waits a little longer to hear that answer. */
  private static final long ANSWER_MARGIN_MILLIS = 2_000;
  /** A listing is answered from memory: a worker slower than this is left to register by itself. */
  private static final long LIST_TIMEOUT_MILLIS = 1_000;

  private record Connection(String address, ManagedChannel channel) {}

  private final Context context;
  private final int createTimeoutMillis;
  private final long deleteTimeoutMillis;
  private final Map<String, Connection> connections = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public GrpcWorkerClient(Context context, int createTimeoutMillis, long deleteTimeoutMillis) {
    this.context = context;
    this.createTimeoutMillis = createTimeoutMillis;
    this.deleteTimeoutMillis = deleteTimeoutMillis;
  }

  @Override
  public Future<HostPort> create(WorkerInfo worker, String instanceId, FunctionRecord function, long epoch) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("worker client closed"));
    }
    CreateSandboxRequest request = CreateSandboxRequest.newBuilder()
        .setInstanceId(instanceId)
        .setKind(InstanceKind.REGULAR)
        .setSpec(Protos.sandboxSpec(function, createTimeoutMillis))
        .setEpoch(epoch)
        .build();
    WorkerServiceGrpc.WorkerServiceStub stub = WorkerServiceGrpc.newStub(channel(worker))
        .withDeadlineAfter(createTimeoutMillis + ANSWER_MARGIN_MILLIS, TimeUnit.MILLISECONDS);
    Future<CreateSandboxResponse> answer = GrpcFutures.unary(context, o -> stub.createSandbox(request, o));
    return answer.map(response -> Protos.endpointOf(
        response.getSandbox().hasEndpoint() ? response.getSandbox().getEndpoint() : null, worker));
  }

  @Override
  public Future<Boolean> delete(WorkerInfo worker, String instanceId, long epoch) {
    if (closed) {
      // A late timer after shutdown: dialling now would open a channel nobody closes.
      return Future.failedFuture(new IllegalStateException("worker client closed"));
    }
    DeleteSandboxRequest request = DeleteSandboxRequest.newBuilder().setInstanceId(instanceId).setEpoch(epoch).build();
    WorkerServiceGrpc.WorkerServiceStub stub = WorkerServiceGrpc.newStub(channel(worker))
        .withDeadlineAfter(deleteTimeoutMillis, TimeUnit.MILLISECONDS);
    Future<DeleteSandboxResponse> answer = GrpcFutures.unary(context, o -> stub.deleteSandbox(request, o));
    return answer.map(DeleteSandboxResponse::getExisted);
  }

  @Override
  public Future<List<ReportedSandbox>> list(WorkerInfo worker) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("worker client closed"));
    }
    WorkerServiceGrpc.WorkerServiceStub stub = WorkerServiceGrpc.newStub(channel(worker))
        .withDeadlineAfter(LIST_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    Future<ListSandboxesResponse> answer = GrpcFutures.unary(context,
        o -> stub.listSandboxes(ListSandboxesRequest.getDefaultInstance(), o));
    return answer.compose(response -> response.getWorkerId().equals(worker.id())
        ? Future.succeededFuture(Protos.reported(response.getSandboxesList()))
        : Future.failedFuture(new IllegalStateException("worker " + response.getWorkerId() + " answered at "
            + worker.address() + ", where " + worker.id() + " was")));
  }

  @Override
  public void forget(String workerId) {
    Connection connection = connections.remove(workerId);
    if (connection != null) {
      connection.channel().shutdown(); // lets calls in flight finish; never blocks
    }
  }

  @Override
  public void close() {
    closed = true;
    connections.values().forEach(c -> c.channel().shutdownNow());
    connections.clear();
  }

  private ManagedChannel channel(WorkerInfo worker) {
    return connections.compute(worker.id(), (id, existing) -> {
      if (existing != null && existing.address().equals(worker.address())) {
        return existing;
      }
      if (existing != null) {
        existing.channel().shutdown(); // the worker moved (restarted elsewhere)
      }
      return new Connection(worker.address(), GrpcChannels.plaintext(worker.address()));
    }).channel();
  }
}
