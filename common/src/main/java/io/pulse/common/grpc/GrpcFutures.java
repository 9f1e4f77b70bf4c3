package io.pulse.common.grpc;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.function.Consumer;

/** Bridges grpc-java's observers and Vert.x futures, in both directions. */
public final class GrpcFutures {

  private GrpcFutures() {}

  /**
   * Runs an async-stub unary call and completes the returned future on {@code context}, so that callers continue on
   * their own event loop and never on a gRPC thread.
   */
  public static <T> Future<T> unary(Context context, Consumer<StreamObserver<T>> call) {
    Promise<T> promise = Promise.promise();
    call.accept(new StreamObserver<>() {
      private T value;

      @Override
      public void onNext(T value) {
        this.value = value;
      }

      @Override
      public void onError(Throwable t) {
        context.runOnContext(v -> promise.tryFail(t));
      }

      @Override
      public void onCompleted() {
        T result = value;
        context.runOnContext(v -> promise.tryComplete(result));
      }
    });
    return promise.future();
  }

  /** Answers a server call from a future; failures that are not gRPC statuses become INTERNAL with their message. */
  public static <T> void reply(Future<T> future, StreamObserver<T> observer) {
    future.onComplete(ar -> {
      if (ar.succeeded()) {
        observer.onNext(ar.result());
        observer.onCompleted();
      } else {
        observer.onError(toStatus(ar.cause()));
      }
    });
  }

  /** The gRPC status of a failure, for replies and for mapping client-side errors. */
  public static StatusRuntimeException toStatus(Throwable failure) {
    if (failure instanceof StatusRuntimeException sre) {
      return sre;
    }
    if (failure instanceof StatusException se) {
      return se.getStatus().asRuntimeException(se.getTrailers());
    }
    if (failure instanceof IllegalArgumentException) {
      return Status.INVALID_ARGUMENT.withDescription(failure.getMessage()).asRuntimeException();
    }
    return Status.INTERNAL.withDescription(String.valueOf(failure.getMessage())).withCause(failure)
        .asRuntimeException();
  }

  /** The status code of a failure, or UNKNOWN when it did not come from gRPC. */
  public static Status.Code code(Throwable failure) {
    return Status.fromThrowable(failure).getCode();
  }
}
