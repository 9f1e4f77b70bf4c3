package io.pulse.dataplane.expedited;

import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.pulse.api.v1.CreateSandboxRequest;
import io.pulse.api.v1.CreateSandboxResponse;
import io.pulse.api.v1.DeleteSandboxRequest;
import io.pulse.api.v1.DeleteSandboxResponse;
import io.pulse.api.v1.Endpoint;
import io.pulse.api.v1.RenewLeasesRequest;
import io.pulse.api.v1.RenewLeasesResponse;
import io.pulse.api.v1.InstanceKind;
import io.pulse.api.v1.Resources;
import io.pulse.api.v1.SandboxSpec;
import io.pulse.api.v1.WorkerServiceGrpc;
import io.pulse.common.grpc.GrpcChannels;
import io.pulse.common.grpc.GrpcFutures;
import io.pulse.common.net.HostPort;
import io.pulse.dataplane.routing.SandboxTemplate;
import io.pulse.dataplane.routing.WorkerRef;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CreateSandbox(kind=EMERGENCY, epoch 0), DeleteSandbox and RenewLeases straight to workers over grpc-java, one channel
 * per worker address. Answers complete on the caller's Vert.x context. Closing cancels the calls in flight; the worker
 * deletes an Emergency Instance whose creation was cancelled, so nothing leaks when a data plane goes away
 * mid-creation, and one whose lease this data plane stops renewing, so nothing leaks when it dies afterwards.
 */
public final class GrpcSandboxCreator implements SandboxCreator {

  private static final Logger LOG = LoggerFactory.getLogger(GrpcSandboxCreator.class);
  /** The worker fails a creation at the readiness timeout; the call waits a little longer to hear that answer. */
  private static final long ANSWER_MARGIN_MILLIS = 2_000;
  private static final long DEFAULT_READINESS_MILLIS = 30_000;
  private static final long DELETE_TIMEOUT_MILLIS = 10_000;

  private static final long RENEW_TIMEOUT_MILLIS = 5_000;

  private final Vertx vertx;
  private final String creator;
  private final long leaseMillis;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param creator how this data plane names itself on the instances it creates
   * @param leaseMillis how long a worker keeps an instance of ours without a renewal
   */
  public GrpcSandboxCreator(Vertx vertx, String creator, long leaseMillis) {
    this.vertx = vertx;
    this.creator = creator;
    this.leaseMillis = leaseMillis;
  }

  @Override
  public Future<HostPort> create(WorkerRef worker, String instanceId, SandboxTemplate template,
      long timeoutMillis) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("the expedited track is closed"));
    }
    CreateSandboxRequest request = CreateSandboxRequest.newBuilder()
        .setInstanceId(instanceId)
        .setKind(InstanceKind.EMERGENCY)
        .setEpoch(0)
        .setCreator(creator)
        .setLeaseMs(leaseMillis)
        .setSpec(spec(template))
        .build();
    long readiness = template.readinessTimeoutMs() > 0 ? template.readinessTimeoutMs() : DEFAULT_READINESS_MILLIS;
    // The request's deadline, when it comes before the worker's own answer: gRPC cancels the call at it.
    boolean requestBound = timeoutMillis < readiness + ANSWER_MARGIN_MILLIS;
    Deadline deadline = Deadline.after(Math.max(1, Math.min(timeoutMillis, readiness + ANSWER_MARGIN_MILLIS)),
        TimeUnit.MILLISECONDS);
    WorkerServiceGrpc.WorkerServiceStub stub = WorkerServiceGrpc.newStub(channel(worker)).withDeadline(deadline);
    Future<CreateSandboxResponse> answer = GrpcFutures.unary(context(), o -> stub.createSandbox(request, o));
    return answer.transform(ar -> {
      if (ar.succeeded()) {
        return Future.succeededFuture(endpointOf(ar.result().getSandbox().getEndpoint(), worker));
      }
      if (requestBound && deadline.isExpired() && GrpcFutures.code(ar.cause()) == Status.Code.DEADLINE_EXCEEDED) {
        return Future.failedFuture(new CreationCutShort("not ready within the request's remaining "
            + timeoutMillis + " ms"));
      }
      return Future.failedFuture(ar.cause());
    });
  }

  @Override
  public Future<Void> delete(WorkerRef worker, String instanceId) {
    if (closed) {
      return Future.succeededFuture(); // closing cancelled the channel; the worker cleans up on its own
    }
    DeleteSandboxRequest request = DeleteSandboxRequest.newBuilder().setInstanceId(instanceId).setEpoch(0).build();
    WorkerServiceGrpc.WorkerServiceStub stub = WorkerServiceGrpc.newStub(channel(worker))
        .withDeadlineAfter(DELETE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    Future<DeleteSandboxResponse> answer = GrpcFutures.unary(context(), o -> stub.deleteSandbox(request, o));
    return answer.<Void>mapEmpty().recover(failure -> {
      LOG.atWarn().setMessage("emergency instance deletion failed").addKeyValue("instance", instanceId)
          .addKeyValue("worker", worker.id()).addKeyValue("error", failure.getMessage()).log();
      return Future.succeededFuture();
    });
  }

  @Override
  public CompletionStage<List<String>> renew(WorkerRef worker, List<String> instanceIds) {
    CompletableFuture<List<String>> unknown = new CompletableFuture<>();
    if (closed) {
      unknown.completeExceptionally(new IllegalStateException("the expedited track is closed"));
      return unknown;
    }
    RenewLeasesRequest request = RenewLeasesRequest.newBuilder().setCreator(creator).addAllInstanceIds(instanceIds)
        .build();
    WorkerServiceGrpc.newStub(channel(worker)).withDeadlineAfter(RENEW_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
        .renewLeases(request, new StreamObserver<>() {
          @Override
          public void onNext(RenewLeasesResponse response) {
            unknown.complete(response.getUnknownInstanceIdsList());
          }

          @Override
          public void onError(Throwable failure) {
            unknown.completeExceptionally(failure);
          }

          @Override
          public void onCompleted() {
            unknown.complete(List.of());
          }
        });
    return unknown;
  }

  @Override
  public void close() {
    closed = true;
    channels.values().forEach(ManagedChannel::shutdownNow);
    channels.clear();
  }

  private Context context() {
    Context current = Vertx.currentContext();
    return current != null ? current : vertx.getOrCreateContext();
  }

  private ManagedChannel channel(WorkerRef worker) {
    return channels.computeIfAbsent(worker.address(), GrpcChannels::plaintext);
  }

  static SandboxSpec spec(SandboxTemplate template) {
    return SandboxSpec.newBuilder()
        .setFunction(template.function())
        .setRevision(template.revision())
        .setImage(template.image())
        .addAllCommand(template.command())
        .setPort(template.port())
        .putAllEnv(template.env())
        .setResources(Resources.newBuilder().setCpuMillis(template.cpuMillis()).setMemoryMib(template.memoryMiB()))
        .setReadinessTimeoutMs(template.readinessTimeoutMs())
        .addAllSecrets(template.secrets())
        .setPrewarm(template.prewarm())
        .build();
  }

  /** A wildcard or missing host means "the worker's own host". */
  static HostPort endpointOf(Endpoint endpoint, WorkerRef worker) {
    if (endpoint.getPort() <= 0) {
      throw new IllegalArgumentException("sandbox.endpoint.port missing in the worker's answer");
    }
    String host = endpoint.getHost();
    if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::")) {
      host = HostPort.parse(worker.address()).host();
    }
    return new HostPort(host, endpoint.getPort());
  }
}
