package io.pulse.dataplane.async;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.pulse.api.v1.AcceptInvocationReply;
import io.pulse.api.v1.AcceptInvocationRequest;
import io.pulse.api.v1.AsyncHeader;
import io.pulse.api.v1.AsyncInvocationServiceGrpc.AsyncInvocationServiceStub;
import io.pulse.common.http.DeclaredLength;
import io.pulse.common.http.JsonErrors;
import io.pulse.dataplane.proxy.ProxyHeaders;
import io.pulse.dataplane.proxy.UnreadBody;
import io.pulse.dataplane.routing.RequestTarget;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes an async request: reads its body (at most {@link #MAX_BODY_BYTES}, else 413), hands it to the leader over
 * gRPC and answers 202 with the invocation's id and {@code Location: /v1/invocations/{id}} once the leader has it
 * durable on a majority. A follower's refusal (during a failover) is retried a few times, then 503: the client may
 * send again, nothing was accepted.
 */
public final class AsyncAccept {

  private static final Logger LOG = LoggerFactory.getLogger(AsyncAccept.class);
  /** As the control plane's bound: the body is stored and replicated whole. */
  public static final int MAX_BODY_BYTES = 1024 * 1024;
  private static final long CALL_DEADLINE_MS = 10_000;
  private static final int UNAVAILABLE_RETRIES = 3;
  private static final long RETRY_DELAY_MS = 200;

  private final Vertx vertx;
  private final AsyncInvocationServiceStub stub;

  public AsyncAccept(Vertx vertx, AsyncInvocationServiceStub stub) {
    this.vertx = vertx;
    this.stub = stub;
  }

  /** The request is paused; {@code target} names a function the routing table knows. */
  public void accept(HttpServerRequest request, RequestTarget target) {
    if (DeclaredLength.of(request) > MAX_BODY_BYTES) {
      tooLarge(request);
      return;
    }
    Buffer body = Buffer.buffer();
    boolean[] refused = {false};
    request.handler(chunk -> {
      if (refused[0]) {
        return;
      }
      if (body.length() + chunk.length() > MAX_BODY_BYTES) {
        refused[0] = true;
        tooLarge(request);
        return;
      }
      body.appendBuffer(chunk);
    });
    request.endHandler(v -> {
      if (!refused[0]) {
        handOff(request, target, body);
      }
    });
    request.exceptionHandler(e -> refused[0] = true);
    request.resume();
  }

  private void handOff(HttpServerRequest request, RequestTarget target, Buffer body) {
    AcceptInvocationRequest.Builder message = AcceptInvocationRequest.newBuilder()
        .setFunction(target.function())
        .setMethod(request.method().name())
        .setUri(target.uri())
        .setBody(ByteString.copyFrom(body.getBytes()));
    ProxyHeaders.toStore(request.headers()).forEach((name, value) ->
        message.addHeaders(AsyncHeader.newBuilder().setName(name).setValue(value)));
    String callback = request.getHeader(AsyncTarget.CALLBACK_HEADER);
    if (callback != null) {
      message.setCallbackUrl(callback);
    }
    call(request, message.build(), 0, vertx.getOrCreateContext());
  }

  private void call(HttpServerRequest request, AcceptInvocationRequest message, int retries, Context context) {
    stub.withDeadlineAfter(CALL_DEADLINE_MS, TimeUnit.MILLISECONDS).acceptInvocation(message,
        new StreamObserver<>() {
          @Override
          public void onNext(AcceptInvocationReply reply) {
            context.runOnContext(v -> accepted(request, reply.getInvocationId()));
          }

          @Override
          public void onError(Throwable failure) {
            Status status = Status.fromThrowable(failure);
            context.runOnContext(v -> {
              if (status.getCode() == Status.Code.UNAVAILABLE && retries < UNAVAILABLE_RETRIES
                  && !request.response().closed()) {
                vertx.setTimer(RETRY_DELAY_MS, id -> call(request, message, retries + 1, context));
              } else {
                refused(request, message.getFunction(), status);
              }
            });
          }

          @Override
          public void onCompleted() {}
        });
  }

  private static void accepted(HttpServerRequest request, String id) {
    String location = "/v1/invocations/" + id;
    request.response().setStatusCode(202).putHeader("Location", location)
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("id", id).put("location", location).encode());
  }

  private static void refused(HttpServerRequest request, String function, Status status) {
    switch (status.getCode()) {
      case NOT_FOUND -> JsonErrors.send(request.response(), 404, "function '" + function + "' not found");
      case OUT_OF_RANGE -> JsonErrors.send(request.response(), 413, String.valueOf(status.getDescription()),
          "Content-Length");
      case RESOURCE_EXHAUSTED -> JsonErrors.send(request.response(), 429, String.valueOf(status.getDescription()));
      case INVALID_ARGUMENT -> JsonErrors.send(request.response(), 400, String.valueOf(status.getDescription()),
          AsyncTarget.CALLBACK_HEADER);
      default -> {
        LOG.atWarn().setMessage("async invocation not accepted").addKeyValue("function", function)
            .addKeyValue("code", status.getCode()).addKeyValue("error", status.getDescription()).log();
        JsonErrors.send(request.response(), 503, "the control plane did not store the invocation ("
            + status.getCode() + "); nothing was accepted, send it again");
      }
    }
  }

  private static void tooLarge(HttpServerRequest request) {
    UnreadBody.discardThen(request, () -> JsonErrors.send(request.response(), 413,
        "async request body larger than " + MAX_BODY_BYTES + " bytes", "Content-Length"));
  }
}
