package io.pulse.controlplane.grpc;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.pulse.api.v1.CreateSandboxRequest;
import io.pulse.api.v1.CreateSandboxResponse;
import io.pulse.api.v1.DeleteSandboxRequest;
import io.pulse.api.v1.DeleteSandboxResponse;
import io.pulse.api.v1.InstanceKind;
import io.pulse.api.v1.InstanceLogsRequest;
import io.pulse.api.v1.InstanceLogsResponse;
import io.pulse.api.v1.ListSandboxesRequest;
import io.pulse.api.v1.ListSandboxesResponse;
import io.pulse.api.v1.PrepareImageRequest;
import io.pulse.api.v1.SetPoolTargetRequest;
import io.pulse.api.v1.SetPoolTargetResponse;
import io.pulse.api.v1.PrepareImageResponse;
import io.pulse.api.v1.WorkerServiceGrpc;
import io.pulse.common.grpc.GrpcChannels;
import io.pulse.common.grpc.GrpcFutures;
import io.pulse.controlplane.instances.CreateAnswer;
import io.pulse.controlplane.instances.LogAnswer;
import io.pulse.controlplane.instances.LogLine;
import io.pulse.controlplane.instances.WorkerClient;
import io.pulse.controlplane.instances.WorkerListing;
import io.pulse.controlplane.membership.WorkerInfo;
import io.pulse.controlplane.registry.FunctionRecord;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.Map;
import java.util.Set;
import io.pulse.controlplane.secrets.SecretValues;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** WorkerService over grpc-java, one channel per worker; answers complete on the given context. */
public final class GrpcWorkerClient implements WorkerClient {

  /** The worker fails a creation at the readiness timeout; the call waits a little longer to hear that answer. */
  private static final long ANSWER_MARGIN_MILLIS = 2_000;
  /** A listing is answered from memory: a worker slower than this is left to register by itself. */
  private static final long LIST_TIMEOUT_MILLIS = 1_000;
  private static final long PREPARE_TIMEOUT_MILLIS = 10 * 60_000;
  /** Reading up to twice the log bound from a worker's disk. */
  private static final long LOGS_TIMEOUT_MILLIS = 10_000;

  /** Codes after which the worker may have gone on creating: the sandbox is deleted to be sure. */
  private static final Set<Status.Code> MAY_EXIST_AFTER_FAILURE = Set.of(Status.Code.DEADLINE_EXCEEDED,
      Status.Code.UNAVAILABLE, Status.Code.CANCELLED, Status.Code.UNKNOWN, Status.Code.INTERNAL);

  private record Connection(String address, ManagedChannel channel) {}

  private final Context context;
  private final int createTimeoutMillis;
  private final SecretValues secrets;
  private final long deleteTimeoutMillis;
  private final Map<String, Connection> connections = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public GrpcWorkerClient(Context context, int createTimeoutMillis, long deleteTimeoutMillis) {
    this(context, createTimeoutMillis, deleteTimeoutMillis, SecretValues.NONE);
  }

  /** @param secrets opens the secrets a created sandbox receives */
  public GrpcWorkerClient(Context context, int createTimeoutMillis, long deleteTimeoutMillis, SecretValues secrets) {
    this.secrets = secrets;
    this.context = context;
    this.createTimeoutMillis = createTimeoutMillis;
    this.deleteTimeoutMillis = deleteTimeoutMillis;
  }

  @Override
  public Future<CreateAnswer> create(WorkerInfo worker, String instanceId, FunctionRecord function, long epoch) {
    CreateSandboxRequest request;
    try {
      request = CreateSandboxRequest.newBuilder()
          .setInstanceId(instanceId)
          .setKind(InstanceKind.REGULAR)
          .setSpec(Protos.sandboxSpec(function, createTimeoutMillis, secrets))
          .setEpoch(epoch)
          .build();
    } catch (RuntimeException e) {
      // A secret that does not open; its message names it, never a value. Nothing was sent.
      return Future.succeededFuture(new CreateAnswer.Refused(GrpcFutures.code(e).name(), e.getMessage(), null));
    }
    return this.<CreateSandboxResponse>call(worker, createTimeoutMillis + ANSWER_MARGIN_MILLIS,
            (stub, o) -> stub.createSandbox(request, o))
        .<CreateAnswer>map(response -> new CreateAnswer.Created(Protos.endpointOf(
            response.getSandbox().hasEndpoint() ? response.getSandbox().getEndpoint() : null, worker),
            response.getListingGeneration()))
        .otherwise(GrpcWorkerClient::createAnswer);
  }

  /** A failed creation call in the core's terms: what the worker refused, or what it may have done anyway. */
  static CreateAnswer createAnswer(Throwable failure) {
    Status status = Status.fromThrowable(failure);
    String code = status.getCode().name();
    String message = String.valueOf(failure.getMessage());
    if (MAY_EXIST_AFTER_FAILURE.contains(status.getCode())) {
      return new CreateAnswer.MayExist(code, message);
    }
    return new CreateAnswer.Refused(code, message,
        status.getCode() == Status.Code.RESOURCE_EXHAUSTED ? String.valueOf(status.getDescription()) : null);
  }

  @Override
  public Future<Boolean> delete(WorkerInfo worker, String instanceId, long epoch) {
    DeleteSandboxRequest request = DeleteSandboxRequest.newBuilder().setInstanceId(instanceId).setEpoch(epoch).build();
    return this.<DeleteSandboxResponse>call(worker, deleteTimeoutMillis, (stub, o) -> stub.deleteSandbox(request, o))
        .map(DeleteSandboxResponse::getExisted);
  }

  @Override
  public Future<WorkerListing> list(WorkerInfo worker) {
    return this.<ListSandboxesResponse>call(worker, LIST_TIMEOUT_MILLIS,
            (stub, o) -> stub.listSandboxes(ListSandboxesRequest.getDefaultInstance(), o))
        .compose(response -> response.getWorkerId().equals(worker.id())
            ? Future.succeededFuture(Protos.listing(response.getListingGeneration(), response.getSandboxesList()))
            : Future.failedFuture(new IllegalStateException("worker " + response.getWorkerId() + " answered at "
                + worker.address() + ", where " + worker.id() + " was")));
  }

  @Override
  public Future<PreparedImage> prepareImage(WorkerInfo worker, String image, long epoch) {
    PrepareImageRequest request = PrepareImageRequest.newBuilder().setImage(image).setEpoch(epoch).build();
    // A pull of a large image takes a while; the worker bounds its own registry timeouts.
    return this.<PrepareImageResponse>call(worker, PREPARE_TIMEOUT_MILLIS, (stub, o) -> stub.prepareImage(request, o))
        .map(r -> new PreparedImage(r.getAlreadyPresent(), r.getDigest(), r.getPullMicros()))
        .recover(GrpcWorkerClient::unsupported);
  }

  @Override
  public Future<Void> setPoolTarget(WorkerInfo worker, FunctionRecord function, int target, long epoch) {
    SetPoolTargetRequest request;
    try {
      // The spec a creation would send: a member is made of it.
      request = SetPoolTargetRequest.newBuilder().setSpec(Protos.sandboxSpec(function, createTimeoutMillis, secrets)
          .toBuilder().setPrewarm(target)).setEpoch(epoch).build();
    } catch (RuntimeException e) {
      return Future.failedFuture(e); // a secret that does not open; its message names it, never a value
    }
    return this.<SetPoolTargetResponse>call(worker, deleteTimeoutMillis, (stub, o) -> stub.setPoolTarget(request, o))
        .<Void>mapEmpty().recover(GrpcWorkerClient::unsupported);
  }

  @Override
  public Future<LogAnswer> logs(WorkerInfo worker, String instanceId, int tail, long sinceMs) {
    InstanceLogsRequest request = InstanceLogsRequest.newBuilder().setInstanceId(instanceId).setTail(tail)
        .setSinceMs(sinceMs).build();
    return this.<InstanceLogsResponse>call(worker, LOGS_TIMEOUT_MILLIS, (stub, o) -> stub.instanceLogs(request, o))
        .<LogAnswer>map(response -> new LogAnswer.Lines(response.getLinesList().stream()
            .map(line -> new LogLine(line.getTimeMs(), line.getText())).toList()))
        .otherwise(GrpcWorkerClient::logAnswer);
  }

  /** A failed log read in the core's terms. */
  static LogAnswer logAnswer(Throwable failure) {
    return switch (Status.fromThrowable(failure).getCode()) {
      case NOT_FOUND -> new LogAnswer.Gone();
      case UNIMPLEMENTED -> new LogAnswer.Unsupported(String.valueOf(failure.getMessage()));
      default -> new LogAnswer.Failed(String.valueOf(failure.getMessage()));
    };
  }

  /** An older worker without the command answers UNIMPLEMENTED: the core sees {@link WorkerClient.Unsupported}. */
  private static <T> Future<T> unsupported(Throwable failure) {
    return Future.failedFuture(GrpcFutures.code(failure) == Status.Code.UNIMPLEMENTED
        ? new WorkerClient.Unsupported(String.valueOf(failure.getMessage())) : failure);
  }

  /** One unary call to a worker with a deadline, answered on the context; refused once closed. */
  private <R> Future<R> call(WorkerInfo worker, long timeoutMillis,
      java.util.function.BiConsumer<WorkerServiceGrpc.WorkerServiceStub, io.grpc.stub.StreamObserver<R>> method) {
    if (closed) {
      // A late timer after shutdown: dialling now would open a channel nobody closes.
      return Future.failedFuture(new IllegalStateException("worker client closed"));
    }
    // The answer only hops onto the context (GrpcFutures.unary): taken on the transport's thread, not handed to
    // gRPC's executor first (one thread less to wake between a worker's "created" and the route it leads to).
    WorkerServiceGrpc.WorkerServiceStub stub = WorkerServiceGrpc.newStub(channel(worker))
        .withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS).withExecutor(Runnable::run);
    return GrpcFutures.unary(context, o -> method.accept(stub, o));
  }

  @Override
  public void connect(WorkerInfo worker) {
    // After the current handler (a registration answers first): the first channel of a process is slow to build.
    context.runOnContext(v -> {
      if (!closed) {
        channel(worker).getState(true); // starts connecting now; calls made meanwhile wait for it
      }
    });
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
