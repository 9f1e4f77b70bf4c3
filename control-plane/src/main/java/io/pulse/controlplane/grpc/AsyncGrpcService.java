package io.pulse.controlplane.grpc;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.pulse.api.v1.AcceptInvocationReply;
import io.pulse.api.v1.AcceptInvocationRequest;
import io.pulse.api.v1.AsyncInvocationServiceGrpc;
import io.pulse.controlplane.async.AcceptRequest;
import io.pulse.controlplane.async.Acceptor;
import io.pulse.controlplane.async.AsyncRefusal;
import io.pulse.controlplane.async.Invocation;
import io.pulse.controlplane.registry.NotLeaderException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The AsyncInvocationService: converts the data plane's request and the acceptor's refusals at the edge. Answers
 * once the invocation is durable on a majority; a follower answers UNAVAILABLE (the data plane's leader channel then
 * looks the leader up).
 */
public final class AsyncGrpcService extends AsyncInvocationServiceGrpc.AsyncInvocationServiceImplBase {

  private final Supplier<@Nullable Acceptor> acceptor;

  /** @param acceptor null while this replica keeps no async invocations (starting, or an in-memory registry) */
  public AsyncGrpcService(Supplier<@Nullable Acceptor> acceptor) {
    this.acceptor = acceptor;
  }

  @Override
  public void acceptInvocation(AcceptInvocationRequest request, StreamObserver<AcceptInvocationReply> observer) {
    Acceptor current = acceptor.get();
    if (current == null) {
      observer.onError(Status.UNAVAILABLE.withDescription("this control plane takes no async invocations now")
          .asRuntimeException());
      return;
    }
    AcceptRequest accept = new AcceptRequest(request.getFunction(), request.getMethod(), request.getUri(),
        request.getHeadersList().stream().map(h -> new Invocation.Header(h.getName(), h.getValue())).toList(),
        request.getBody().toByteArray(), request.getCallbackUrl().isEmpty() ? null : request.getCallbackUrl());
    current.accept(accept).onComplete(ar -> {
      if (ar.succeeded()) {
        observer.onNext(AcceptInvocationReply.newBuilder().setInvocationId(ar.result().id()).build());
        observer.onCompleted();
      } else {
        observer.onError(statusOf(ar.cause()).asRuntimeException());
      }
    });
  }

  private static Status codeOf(AsyncRefusal.Kind kind) {
    return switch (kind) {
      case UNKNOWN_FUNCTION -> Status.NOT_FOUND;
      case TOO_LARGE -> Status.OUT_OF_RANGE;
      case OVERLOADED -> Status.RESOURCE_EXHAUSTED;
      case INVALID -> Status.INVALID_ARGUMENT;
    };
  }

  static Status statusOf(Throwable failure) {
    return switch (failure) {
      case AsyncRefusal refusal -> codeOf(refusal.kind()).withDescription(refusal.getMessage());
      case NotLeaderException notLeader -> Refusals.toStatus(notLeader).getStatus();
      default -> Status.UNAVAILABLE.withDescription("not stored: " + failure.getMessage());
    };
  }
}
