package io.pulse.dataplane;

import static io.pulse.dataplane.FakeControlPlane.route;
import static io.pulse.dataplane.TestHttp.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Context;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.pulse.api.v1.CreateSandboxRequest;
import io.pulse.api.v1.CreateSandboxResponse;
import io.pulse.api.v1.DeleteSandboxRequest;
import io.pulse.api.v1.DeleteSandboxResponse;
import io.pulse.api.v1.Endpoint;
import io.pulse.api.v1.FunctionRoute;
import io.pulse.api.v1.RenewLeasesRequest;
import io.pulse.api.v1.RenewLeasesResponse;
import io.pulse.api.v1.Resources;
import io.pulse.api.v1.RouteUpdate;
import io.pulse.api.v1.SandboxInfo;
import io.pulse.api.v1.SandboxSpec;
import io.pulse.api.v1.ScalingPolicy;
import io.pulse.api.v1.WorkerDescriptor;
import io.pulse.api.v1.WorkerServiceGrpc;
import io.pulse.common.grpc.GrpcServers;
import io.pulse.common.net.HostPort;
import io.pulse.dataplane.stats.LoadTracker;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The expedited track end to end against a fake worker: the request's load counters while it runs on an Emergency
 * Instance and after; and a creation that outlasts the request's queue deadline (its gRPC deadline is what is left
 * of it): a 504 with a ref, the call cancelled, the sandbox deleted, the counters back at zero; and dual-track's
 * late-bound creations, which serve whoever waits first.
 */
class DataPlaneExpeditedTest {

  private static final long QUEUE_TIMEOUT_MS = 1500;
  private static DataPlaneFixture fx;
  private static FakeWorker worker;

  @BeforeAll
  static void start() throws Exception {
    fx = DataPlaneFixture.start(c -> c.withQueueTimeoutMs(QUEUE_TIMEOUT_MS));
    worker = new FakeWorker();
  }

  @AfterAll
  static void stop() throws Exception {
    fx.close();
    worker.server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    worker.spare.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }

  /**
   * Two workers on loopback (one service behind two servers) that fail the next {@code failures} creations, then
   * answer with the endpoint the test sets, or never (port 0); while {@code holdCreations}, each creation waits until
   * the test answers it ({@link #answerHeld}).
   */
  private static final class FakeWorker extends WorkerServiceGrpc.WorkerServiceImplBase {
    final Server server = GrpcServers.start(new HostPort("127.0.0.1", 0), List.of(this));
    final Server spare = GrpcServers.start(new HostPort("127.0.0.1", 0), List.of(this));
    final AtomicInteger failures = new AtomicInteger();
    volatile int answerPort;
    final List<String> created = new CopyOnWriteArrayList<>();
    final List<Long> deadlineMillisGiven = new CopyOnWriteArrayList<>();
    final List<String> cancelled = new CopyOnWriteArrayList<>();
    final List<String> deleted = new CopyOnWriteArrayList<>();
    final List<Runnable> held = new CopyOnWriteArrayList<>();
    volatile boolean holdCreations;

    @Override
    public void createSandbox(CreateSandboxRequest request, StreamObserver<CreateSandboxResponse> observer) {
      String id = request.getInstanceId();
      created.add(id);
      io.grpc.Deadline deadline = Context.current().getDeadline();
      deadlineMillisGiven.add(deadline == null ? -1 : deadline.timeRemaining(TimeUnit.MILLISECONDS));
      ((ServerCallStreamObserver<CreateSandboxResponse>) observer).setOnCancelHandler(() -> cancelled.add(id));
      if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        observer.onError(Status.INTERNAL.withDescription("the sandbox would not start").asRuntimeException());
      } else if (answerPort > 0) {
        int port = answerPort;
        Runnable answer = () -> {
          observer.onNext(CreateSandboxResponse.newBuilder().setSandbox(SandboxInfo.newBuilder().setInstanceId(id)
              .setEndpoint(Endpoint.newBuilder().setHost("127.0.0.1").setPort(port))).build());
          observer.onCompleted();
        };
        if (holdCreations) {
          held.add(answer);
        } else {
          answer.run();
        }
      }
    }

    /** Answers the {@code index}-th creation held since the test began holding them. */
    void answerHeld(int index) {
      held.get(index).run();
    }

    @Override
    public void deleteSandbox(DeleteSandboxRequest request, StreamObserver<DeleteSandboxResponse> observer) {
      deleted.add(request.getInstanceId());
      observer.onNext(DeleteSandboxResponse.newBuilder().setExisted(true).build());
      observer.onCompleted();
    }

    @Override
    public void renewLeases(RenewLeasesRequest request, StreamObserver<RenewLeasesResponse> observer) {
      observer.onNext(RenewLeasesResponse.getDefaultInstance());
      observer.onCompleted();
    }
  }

  private static void routeToTheWorker(String function) {
    routeToTheWorker(route(function), 0);
  }

  /** {@code base}'s function on the expedited track (besides its Regular instances) with that Emergency keep-alive. */
  private static void routeToTheWorker(FunctionRoute base, int emergencyKeepAliveMs) {
    routeToTheWorker(base, emergencyKeepAliveMs, ScalingPolicy.EMERGENCY_ONLY);
  }

  private static void routeToTheWorker(FunctionRoute base, int emergencyKeepAliveMs, ScalingPolicy policy) {
    String function = base.getName();
    FunctionRoute route = base.toBuilder().setPolicy(policy)
        .setEmergencyKeepAliveMs(emergencyKeepAliveMs)
        .setSandbox(SandboxSpec.newBuilder().setFunction(function).setRevision(1).addCommand("serve")
            .setResources(Resources.newBuilder().setCpuMillis(100).setMemoryMib(64)))
        .build();
    fx.controlPlane.upsert(route);
    fx.awaitInstances(function, base.getInstancesCount());
    fx.controlPlane.push(RouteUpdate.newBuilder().setWorkersChanged(true)
        .addWorkers(descriptor("w1", worker.server)).addWorkers(descriptor("w2", worker.spare)).build());
    await().atMost(Duration.ofSeconds(10)).until(() -> !fx.dataPlane.routingTable().workers().isEmpty());
  }

  private static WorkerDescriptor descriptor(String id, Server server) {
    return WorkerDescriptor.newBuilder().setWorkerId(id).setAddress("127.0.0.1:" + server.getPort())
        .setCapacity(Resources.newBuilder().setCpuMillis(4000).setMemoryMib(4096)).build();
  }

  @Test
  void servedByAnEmergencyInstance_countsOnItWhileRunning_andGivesEverythingBack() throws Exception {
    try (HoldingBackend instance = HoldingBackend.start(fx.vertx, "e-1")) {
      worker.answerPort = instance.port();
      routeToTheWorker("exp");
      int deletedBefore = worker.deleted.size();

      Future<TestHttp.Reply> reply = fx.http.send(HttpMethod.GET, "/fn/exp/", null, null);
      await().atMost(Duration.ofSeconds(10)).until(() -> instance.current() == 1);
      // The first request of a function has no inter-arrival history: the metric filter leaves it out of in flight.
      assertThat(fx.dataPlane.loadCounts("exp")).isEqualTo(new LoadTracker.Counts(0, 0, 1));
      instance.releaseAll();

      assertThat(await(reply).status()).isEqualTo(200);
      fx.awaitLoadIdle("exp");
      // Single use: the instance is deleted once its request is over.
      await().atMost(Duration.ofSeconds(10)).until(() -> worker.deleted.size() == deletedBefore + 1);
    } finally {
      worker.answerPort = 0;
    }
  }

  @Test
  void aNewEmergencyInstancesFirstExchange_isTimedFromTheCreationsAnswerToTheResponsesEnd() throws Exception {
    try (HoldingBackend instance = HoldingBackend.start(fx.vertx, "e-3")) {
      worker.answerPort = instance.port();
      routeToTheWorker("first-exchange");
      double countBefore = fx.metric("pulse_dataplane_emergency_first_exchange_seconds_count");
      double sumBefore = fx.metric("pulse_dataplane_emergency_first_exchange_seconds_sum");

      Future<TestHttp.Reply> reply = fx.http.send(HttpMethod.GET, "/fn/first-exchange/", null, null);
      await().atMost(Duration.ofSeconds(10)).until(() -> instance.current() == 1);
      long heldFrom = System.nanoTime();
      // Not observed while the exchange runs.
      assertThat(fx.metric("pulse_dataplane_emergency_first_exchange_seconds_count")).isEqualTo(countBefore);
      long heldNanos = System.nanoTime() - heldFrom;
      instance.releaseAll();

      assertThat(await(reply).status()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(10)).until(
          () -> fx.metric("pulse_dataplane_emergency_first_exchange_seconds_count") == countBefore + 1);
      // The exchange was held at least as long as the check above took.
      assertThat(fx.metric("pulse_dataplane_emergency_first_exchange_seconds_sum") - sumBefore)
          .isGreaterThanOrEqualTo(heldNanos / 1e9);
      fx.awaitLoadIdle("first-exchange");
    } finally {
      worker.answerPort = 0;
    }
  }

  @Test
  void creationFails_retriedOnTheOtherWorker_servedOnce_andTheCountersBackAtZero() throws Exception {
    try (HoldingBackend instance = HoldingBackend.start(fx.vertx, "e-2")) {
      worker.answerPort = instance.port();
      routeToTheWorker("retried");
      int createdBefore = worker.created.size();
      worker.failures.set(1);

      Future<TestHttp.Reply> reply = fx.http.send(HttpMethod.GET, "/fn/retried/", null, null);
      await().atMost(Duration.ofSeconds(10)).until(() -> instance.current() == 1);
      // The failed creation gave its hold back; the second one holds it once.
      assertThat(fx.dataPlane.loadCounts("retried").emergency()).isEqualTo(1);
      instance.releaseAll();

      assertThat(await(reply).status()).isEqualTo(200);
      assertThat(worker.created.size() - createdBefore).isEqualTo(2);
      assertThat(instance.served()).isEqualTo(1);
      fx.awaitLoadIdle("retried");
    } finally {
      worker.answerPort = 0;
      worker.failures.set(0);
    }
  }

  @Test
  void creationOutlastingTheQueueDeadline_is504WithARef_andTheSandboxIsDeleted() {
    worker.answerPort = 0; // the worker never answers
    routeToTheWorker("late");
    int createdBefore = worker.created.size();

    TestHttp.Reply reply = fx.http.get("/fn/late/");

    assertThat(reply.status()).isEqualTo(504);
    String ref = reply.error().getString("ref");
    assertThat(ref).matches("[0-9a-f]{12}");
    assertThat(reply.error().getString("message")).contains("'late'").endsWith("(ref " + ref + ")");
    String id = worker.created.get(createdBefore);
    // The creation carried what was left of the queue deadline, and was given up at it: cancelled, then deleted.
    assertThat(worker.deadlineMillisGiven.get(createdBefore)).isBetween(0L, QUEUE_TIMEOUT_MS);
    await().atMost(Duration.ofSeconds(10)).until(() -> worker.cancelled.contains(id) && worker.deleted.contains(id));
    fx.awaitLoadIdle("late");
  }

  @Test
  void theCreationsUnderWayOnAWorker_countTheControlPlanesRegularOnesBesideOurs() {
    worker.answerPort = 0; // our creation stays under way until the queue deadline
    routeToTheWorker("crowded");
    pushRegularCreating("w1", 2);
    await().atMost(Duration.ofSeconds(10))
        .until(() -> fx.metric("pulse_dataplane_creations_under_way", "worker=w1") == 2);
    assertThat(fx.metric("pulse_dataplane_creations_under_way", "worker=w2")).isZero();
    assertThat(fx.metric("pulse_dataplane_creation_slowdown", "worker=w1")).isGreaterThan(1);
    assertThat(fx.metric("pulse_dataplane_creation_slowdown", "worker=w2")).isEqualTo(1);

    Future<TestHttp.Reply> reply = fx.http.send(HttpMethod.GET, "/fn/crowded/", null, null);
    await().atMost(Duration.ofSeconds(10)).until(() -> underWay() == 3);
    assertThat(await(reply).status()).isEqualTo(504);
    await().atMost(Duration.ofSeconds(10)).until(() -> underWay() == 2);

    pushRegularCreating("w1", 0);
    await().atMost(Duration.ofSeconds(10)).until(() -> underWay() == 0);
    fx.awaitLoadIdle("crowded");
  }

  private static double underWay() {
    return fx.metric("pulse_dataplane_creations_under_way", "worker=w1")
        + fx.metric("pulse_dataplane_creations_under_way", "worker=w2");
  }

  /** The control plane says it is creating {@code n} Regular Instances on the worker (nothing else held there). */
  private static void pushRegularCreating(String workerId, int n) {
    fx.controlPlane.push(RouteUpdate.newBuilder().setWorkerLoadsPartial(true)
        .addWorkerLoads(io.pulse.api.v1.WorkerLoad.newBuilder().setWorkerId(workerId).setCreating(n)
            .setAllocated(Resources.newBuilder().setCpuMillis(100 * n).setMemoryMib(64 * n)))
        .build());
  }

  @Test
  void idleEmergencyInstance_keptWhileRegularIsFull_deletedOnceARegularSlotFrees() throws Exception {
    try (HoldingBackend regular = HoldingBackend.start(fx.vertx, "r-3");
        HoldingBackend emergency = HoldingBackend.start(fx.vertx, "e-3")) {
      worker.answerPort = emergency.port();
      routeToTheWorker(route("trimmed", 1, FakeControlPlane.instance("r-3", regular.port())), 60_000);
      int createdBefore = worker.created.size();

      Future<TestHttp.Reply> onRegular = fx.http.send(HttpMethod.GET, "/fn/trimmed/", null, null);
      await().atMost(Duration.ofSeconds(10)).until(() -> regular.current() == 1);
      Future<TestHttp.Reply> onEmergency = fx.http.send(HttpMethod.GET, "/fn/trimmed/", null, null);
      await().atMost(Duration.ofSeconds(10)).until(() -> emergency.current() == 1);
      String id = worker.created.get(createdBefore);
      emergency.releaseAll();
      assertThat(await(onEmergency).status()).isEqualTo(200);
      // Regular's one slot is still taken: the idle instance covers what Regular cannot, for its keep-alive.
      assertThat(worker.deleted).doesNotContain(id);

      regular.releaseAll();
      assertThat(await(onRegular).status()).isEqualTo(200);

      await().atMost(Duration.ofSeconds(10)).until(() -> worker.deleted.contains(id));
      fx.awaitLoadIdle("trimmed");
    } finally {
      worker.answerPort = 0;
    }
  }

  /**
   * Dual-track with a Regular Instance: the creation started for the newer of two waiters answers first and serves the
   * older one; the Regular slot, freed before the other creation answers, serves the newer; that creation, answered
   * with nobody waiting, is deleted unused (single use). Every count goes back.
   */
  @Test
  void dualTrackCreations_serveWhoeverWaitsFirst_andOneNobodyTookIsDeleted() throws Exception {
    try (HoldingBackend regular = HoldingBackend.start(fx.vertx, "r-5");
        HoldingBackend emergency = HoldingBackend.start(fx.vertx, "e-5")) {
      worker.answerPort = emergency.port();
      worker.held.clear();
      worker.holdCreations = true;
      routeToTheWorker(route("late-bound", 1, FakeControlPlane.instance("r-5", regular.port())), 0,
          ScalingPolicy.DUAL_TRACK);
      int createdBefore = worker.created.size();

      Future<TestHttp.Reply> onRegular = fx.http.send(HttpMethod.GET, "/fn/late-bound/", null, null);
      await().atMost(Duration.ofSeconds(10)).until(() -> regular.current() == 1);
      // No execution time seen yet, so the wait for the slot is unknown: each of the next two starts a creation.
      Future<TestHttp.Reply> older = fx.http.send(HttpMethod.GET, "/fn/late-bound/", null, null);
      await().atMost(Duration.ofSeconds(10)).until(() -> worker.created.size() == createdBefore + 1);
      Future<TestHttp.Reply> newer = fx.http.send(HttpMethod.GET, "/fn/late-bound/", null, null);
      await().atMost(Duration.ofSeconds(10)).until(() -> worker.created.size() == createdBefore + 2);

      worker.answerHeld(1);
      await().atMost(Duration.ofSeconds(10)).until(() -> emergency.current() == 1);
      emergency.releaseAll();
      assertThat(await(older).instance()).isEqualTo("e-5");
      assertThat(newer.isComplete()).isFalse();

      regular.releaseAll();
      assertThat(await(onRegular).status()).isEqualTo(200);
      assertThat(await(newer).instance()).isEqualTo("r-5");

      worker.answerHeld(0);
      String unused = worker.created.get(createdBefore);
      String used = worker.created.get(createdBefore + 1);
      await().atMost(Duration.ofSeconds(10)).until(() -> worker.deleted.containsAll(List.of(used, unused)));
      assertThat(emergency.served()).isEqualTo(1);
      fx.awaitLoadIdle("late-bound");
    } finally {
      worker.holdCreations = false;
      worker.answerPort = 0;
    }
  }
}
