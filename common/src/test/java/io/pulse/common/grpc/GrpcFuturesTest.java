package io.pulse.common.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GrpcFuturesTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void unary_completesOnTheCallersContextEvenWhenAnsweredFromAnotherThread() throws Exception {
    Context context = vertx.getOrCreateContext();
    CompletableFuture<Thread> completedOn = new CompletableFuture<>();
    CompletableFuture<Thread> contextThread = new CompletableFuture<>();
    context.runOnContext(v -> {
      contextThread.complete(Thread.currentThread());
      Future<String> answer = GrpcFutures.unary(context, (StreamObserver<String> observer) ->
          Thread.ofPlatform().start(() -> {
            observer.onNext("pong");
            observer.onCompleted();
          }));
      answer.onSuccess(value -> completedOn.complete(Thread.currentThread()));
    });
    assertThat(completedOn.get(5, TimeUnit.SECONDS)).isSameAs(contextThread.get(5, TimeUnit.SECONDS));
  }

  @Test
  void unary_failsWithTheStatusTheServerSent() {
    Context context = vertx.getOrCreateContext();
    Future<String> answer = GrpcFutures.unary(context,
        (StreamObserver<String> observer) -> observer.onError(Status.NOT_FOUND.asRuntimeException()));
    assertThatThrownBy(answer::await).isInstanceOf(StatusRuntimeException.class);
    assertThat(GrpcFutures.code(answer.cause())).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void reply_mapsPlainFailuresToStatuses() {
    AtomicReference<Throwable> error = new AtomicReference<>();
    StreamObserver<String> observer = new StreamObserver<>() {
      @Override public void onNext(String value) {}

      @Override public void onError(Throwable t) {
        error.set(t);
      }

      @Override public void onCompleted() {}
    };
    GrpcFutures.reply(Future.failedFuture(new IllegalArgumentException("spec.port must be positive")), observer);
    assertThat(Status.fromThrowable(error.get()).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(Status.fromThrowable(error.get()).getDescription()).isEqualTo("spec.port must be positive");

    GrpcFutures.reply(Future.failedFuture(new IllegalStateException("boom")), observer);
    assertThat(Status.fromThrowable(error.get()).getCode()).isEqualTo(Status.Code.INTERNAL);
  }
}
