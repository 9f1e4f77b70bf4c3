package io.pulse.worker.service;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.pulse.api.v1.CreateSandboxRequest;
import io.pulse.api.v1.CreateSandboxResponse;
import io.pulse.api.v1.DeleteSandboxRequest;
import io.pulse.api.v1.DeleteSandboxResponse;
import io.pulse.api.v1.InstanceLogLine;
import io.pulse.api.v1.InstanceLogsRequest;
import io.pulse.api.v1.InstanceLogsResponse;
import io.pulse.api.v1.ListSandboxesRequest;
import io.pulse.api.v1.ListSandboxesResponse;
import io.pulse.api.v1.PrepareImageRequest;
import io.pulse.api.v1.PrepareImageResponse;
import io.pulse.api.v1.RenewLeasesRequest;
import io.pulse.api.v1.RenewLeasesResponse;
import io.pulse.api.v1.SetPoolTargetRequest;
import io.pulse.api.v1.SetPoolTargetResponse;
import io.pulse.api.v1.WorkerServiceGrpc;
import io.pulse.worker.sandbox.CreatedSandbox;
import io.pulse.worker.sandbox.SandboxException;
import io.pulse.worker.sandbox.SandboxKind;
import io.pulse.worker.sandbox.SandboxSpec;
import io.pulse.worker.sandbox.logs.LogQuery;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The gRPC {@code WorkerService}: protobuf in, {@link SandboxCommands} in the middle, protobuf or a status out. */
public final class GrpcWorkerService extends WorkerServiceGrpc.WorkerServiceImplBase {

  private static final Logger LOG = LoggerFactory.getLogger(GrpcWorkerService.class);

  private final String workerId;
  private final SandboxCommands commands;
  private final PoolTargets pools;

  public GrpcWorkerService(String workerId, SandboxCommands commands) {
    this(workerId, commands, PoolTargets.NONE);
  }

  public GrpcWorkerService(String workerId, SandboxCommands commands, PoolTargets pools) {
    this.workerId = workerId;
    this.commands = commands;
    this.pools = pools;
  }

  @Override
  public void createSandbox(CreateSandboxRequest request, StreamObserver<CreateSandboxResponse> observer) {
    SandboxSpec spec;
    SandboxKind kind;
    try {
      if (!request.hasSpec()) {
        throw new IllegalArgumentException("spec is required");
      }
      spec = SandboxProtos.spec(request.getSpec());
      kind = SandboxProtos.kind(request.getKind());
      if (kind == SandboxKind.EMERGENCY) {
        spec = spec.withCreator(SandboxProtos.creator(request));
      }
    } catch (IllegalArgumentException e) {
      observer.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    ServerCallStreamObserver<CreateSandboxResponse> emergencyCall =
        kind == SandboxKind.EMERGENCY && observer instanceof ServerCallStreamObserver<CreateSandboxResponse> c
            ? c : null;
    if (emergencyCall != null) {
      // The control plane ignores Emergency Instances; when their creator gives up (cancelled, its request's
      // deadline, went away) nobody else will ever delete this one, so the worker does, at once: the deletion aborts
      // a creation still waiting for readiness. Set before the creation starts, as gRPC wants it.
      emergencyCall.setOnCancelHandler(() -> {
        LOG.atInfo().setMessage("creator of emergency instance went away; deleting it")
            .addKeyValue("instance", request.getInstanceId()).log();
        commands.delete(request.getInstanceId(), 0);
      });
    }
    CompletionStage<CreatedSandbox> created = commands.create(request.getInstanceId(), kind, spec,
        request.getEpoch());
    // The revision's prewarm travels with its creations; 0 says nothing (a data plane may not know it), and a new
    // revision drains the old one's pool anyway. Taken from creations that succeeded only: a fenced or failing one
    // (a bad image) must not start a pool.
    int prewarm = request.getSpec().getPrewarm();
    if (prewarm > 0) {
      SandboxSpec revision = spec;
      created.thenRun(() -> pools.target(revision, prewarm));
    }
    if (emergencyCall != null) {
      ServerCallStreamObserver<CreateSandboxResponse> call = emergencyCall;
      // A creation that won the race with the cancellation: delete what it made.
      created = created.whenComplete((sandbox, failure) -> {
        if (failure == null && call.isCancelled()) {
          LOG.atInfo().setMessage("deleting emergency instance whose creator went away")
              .addKeyValue("instance", request.getInstanceId()).log();
          commands.delete(request.getInstanceId(), 0);
        }
      });
    }
    // Drawn once the creation completed, so its sandbox is in the table by then.
    reply(created, sandbox -> SandboxProtos.response(sandbox, commands.createdGeneration()), observer);
  }

  @Override
  public void deleteSandbox(DeleteSandboxRequest request, StreamObserver<DeleteSandboxResponse> observer) {
    reply(commands.delete(request.getInstanceId(), request.getEpoch()),
        existed -> DeleteSandboxResponse.newBuilder().setExisted(existed).build(), observer);
  }

  @Override
  public void prepareImage(PrepareImageRequest request, StreamObserver<PrepareImageResponse> observer) {
    reply(commands.prepareImage(request.getImage(), request.getEpoch()), SandboxProtos::prepared, observer);
  }

  @Override
  public void setPoolTarget(SetPoolTargetRequest request, StreamObserver<SetPoolTargetResponse> observer) {
    SandboxSpec spec;
    try {
      if (!request.hasSpec()) {
        throw new IllegalArgumentException("spec is required");
      }
      spec = SandboxProtos.spec(request.getSpec());
    } catch (IllegalArgumentException e) {
      observer.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    SandboxException fenced = commands.fencedFunctionCommand("set_pool_target", spec.function(), request.getEpoch());
    if (fenced != null) {
      observer.onError(status(fenced).asRuntimeException());
      return;
    }
    pools.target(spec, request.getSpec().getPrewarm());
    observer.onNext(SetPoolTargetResponse.getDefaultInstance());
    observer.onCompleted();
  }

  @Override
  public void listSandboxes(ListSandboxesRequest request, StreamObserver<ListSandboxesResponse> observer) {
    SandboxCommands.Listing listing = commands.listing();
    ListSandboxesResponse.Builder response = ListSandboxesResponse.newBuilder().setWorkerId(workerId)
        .setListingGeneration(listing.generation());
    listing.sandboxes().forEach(s -> response.addSandboxes(SandboxProtos.info(s)));
    observer.onNext(response.build());
    observer.onCompleted();
  }

  @Override
  public void instanceLogs(InstanceLogsRequest request, StreamObserver<InstanceLogsResponse> observer) {
    LogQuery query;
    try {
      query = new LogQuery(request.getTail() == 0 ? LogQuery.DEFAULT_TAIL : request.getTail(), request.getSinceMs());
    } catch (IllegalArgumentException e) {
      observer.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    commands.logs(request.getInstanceId(), query).whenComplete((lines, failure) -> {
      if (failure != null) {
        observer.onError(status(failure).asRuntimeException());
      } else if (lines.isEmpty()) {
        observer.onError(Status.NOT_FOUND.withDescription("no instance " + request.getInstanceId() + " on worker "
            + workerId).asRuntimeException());
      } else {
        InstanceLogsResponse.Builder response = InstanceLogsResponse.newBuilder();
        lines.get().forEach(line -> response.addLines(
            InstanceLogLine.newBuilder().setTimeMs(line.timeMs()).setText(line.text())));
        observer.onNext(response.build());
        observer.onCompleted();
      }
    });
  }

  @Override
  public void renewLeases(RenewLeasesRequest request, StreamObserver<RenewLeasesResponse> observer) {
    observer.onNext(RenewLeasesResponse.newBuilder()
        .addAllUnknownInstanceIds(commands.renewLeases(request.getCreator(), request.getInstanceIdsList())).build());
    observer.onCompleted();
  }

  private static <T, R> void reply(CompletionStage<T> stage, Function<T, R> toProto, StreamObserver<R> observer) {
    stage.whenComplete((value, failure) -> {
      if (failure != null) {
        observer.onError(status(failure).asRuntimeException());
      } else {
        observer.onNext(toProto.apply(value));
        observer.onCompleted();
      }
    });
  }

  /** The status worker.proto documents for each failure. */
  static Status status(Throwable failure) {
    Throwable cause = SandboxCommands.unwrap(failure);
    if (cause instanceof SandboxException se) {
      Status status = switch (se.reason()) {
        case INVALID_SPEC -> Status.INVALID_ARGUMENT;
        case ALREADY_EXISTS -> Status.ALREADY_EXISTS;
        case NO_CAPACITY -> Status.RESOURCE_EXHAUSTED;
        case STALE_EPOCH -> Status.FAILED_PRECONDITION;
        case NOT_READY_IN_TIME -> Status.DEADLINE_EXCEEDED;
        case START_FAILED -> Status.INTERNAL;
        case ABORTED -> Status.ABORTED;
        case UNAVAILABLE -> Status.UNAVAILABLE;
        case IMAGE_NOT_FOUND -> Status.NOT_FOUND;
        case UNAUTHORIZED -> Status.PERMISSION_DENIED;
        case UNSUPPORTED -> Status.UNIMPLEMENTED;
      };
      return status.withDescription(se.getMessage());
    }
    if (cause instanceof IllegalArgumentException) {
      return Status.INVALID_ARGUMENT.withDescription(cause.getMessage());
    }
    return Status.INTERNAL.withDescription(String.valueOf(cause.getMessage())).withCause(cause);
  }
}
