package io.pulse.controlplane.instances;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.pulse.common.net.HostPort;
import io.pulse.common.testing.ManualTimers;
import io.pulse.controlplane.membership.Membership;
import io.pulse.controlplane.membership.WorkerInfo;
import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.status.FunctionStatus;
import io.pulse.controlplane.status.StatusBoard;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The lifecycle against a worker client whose answers the test releases, one by one, on the owning context. */
class InstanceLifecycleTest {

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final Membership membership = new Membership(7, 60_000);
  private final AtomicReference<Map<String, FunctionRecord>> functions =
      new AtomicReference<>(Map.of("f", SandboxReconcilerTest.record("f", 1)));
  private final FakeClient client = new FakeClient();
  private final Counter creations = Counter.builder().name("c").labelNames("result").build();
  private final InstanceLifecycle lifecycle = new InstanceLifecycle(vertx, System::currentTimeMillis, membership,
      client, functions::get, new InstanceLifecycle.Settings(7, 50, 10, 1000, 30_000), creations,
      Histogram.builder().name("h").build(), () -> { });

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** Creations wait for the test to answer them; deletions succeed at once. */
  private final class FakeClient implements WorkerClient {
    final Map<String, Promise<CreateAnswer>> pending = new ConcurrentHashMap<>();
    final List<String> created = new CopyOnWriteArrayList<>();
    final List<String> deleted = new CopyOnWriteArrayList<>();

    @Override
    public Future<CreateAnswer> create(WorkerInfo worker, String instanceId, FunctionRecord function, long epoch) {
      created.add(instanceId);
      Promise<CreateAnswer> answer = Promise.promise();
      pending.put(instanceId, answer);
      return answer.future();
    }

    @Override
    public Future<Boolean> delete(WorkerInfo worker, String instanceId, long epoch) {
      deleted.add(instanceId);
      return Future.succeededFuture(true);
    }

    @Override
    public void forget(String workerId) {}

    @Override
    public void close() {}

    void answer(String id) {
      context.runOnContext(v -> pending.remove(id).complete(new CreateAnswer.Created(new HostPort("127.0.0.1", 9999))));
    }

    void fail(String id, CreateAnswer answer) {
      context.runOnContext(v -> pending.remove(id).complete(answer));
    }
  }

  private <T> T onContext(Callable<T> action) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        result.complete(action.call());
      } catch (Exception e) {
        result.completeExceptionally(e);
      }
    });
    return result.get(5, TimeUnit.SECONDS);
  }

  private void join(String id, int cpuMillis) throws Exception {
    onContext(() -> membership.register(new WorkerInfo(id, "127.0.0.1:1", "h", "fake", cpuMillis, 4096), 0));
  }

  @Test
  void scale_repeatedWhilePending_createsOnlyOnce() throws Exception {
    join("w1", 4000);

    onContext(() -> {
      lifecycle.scale("f", 2);
      lifecycle.scale("f", 2);
      lifecycle.reconcileAll();
      return null;
    });

    assertThat(client.created).hasSize(2).doesNotHaveDuplicates();
    assertThat(onContext(() -> lifecycle.instances("f"))).isEqualTo(2);
    assertThat(onContext(() -> lifecycle.readyInstances("f"))).isZero();

    client.created.forEach(client::answer);
    await().until(() -> onContext(() -> lifecycle.readyInstances("f")) == 2);
    assertThat(client.created).hasSize(2);
  }

  /** Where each instance created so far went, in the order of their creations. */
  private List<String> workersOfInstances() throws Exception {
    Map<String, String> workerById = new java.util.HashMap<>();
    onContext(lifecycle::snapshot).forEach(i -> workerById.put(i.id(), i.workerId()));
    return client.created.stream().map(workerById::get).toList();
  }

  @Test
  void creations_goToAPoolHolder_andALaterStepDoesNotCountOnTheMemberAnEarlierOneClaimed() throws Exception {
    join("a", 4000);
    join("b", 4000);
    FunctionStatus.Pool oneReady = new FunctionStatus.Pool("b", "f", 1, 1, 1, 0, 0, null);
    onContext(() -> {
      lifecycle.poolsReported("b", List.of(oneReady));
      lifecycle.scale("f", 1);
      return null;
    });
    assertThat(workersOfInstances()).containsExactly("b");

    onContext(() -> {
      lifecycle.scale("f", 2); // another event, before b's next heartbeat: b's member is taken, b holds more now
      return null;
    });
    assertThat(workersOfInstances()).containsExactly("b", "a");

    onContext(() -> {
      lifecycle.poolsReported("b", List.of(oneReady)); // refilled
      lifecycle.scale("f", 3);
      return null;
    });
    assertThat(workersOfInstances()).containsExactly("b", "a", "b");
  }

  @Test
  void twoFunctionsPlannedInOneEvent_seeEachOthersCreations_noWorkerOverfilled() throws Exception {
    functions.set(Map.of("f", SandboxReconcilerTest.record("f", 1), "g", SandboxReconcilerTest.record("g", 1)));
    onContext(() -> {
      lifecycle.scale("f", 1); // no worker yet: both wait for capacity
      lifecycle.scale("g", 1);
      return null;
    });
    join("w1", 150); // room for one 100m instance

    onContext(() -> {
      lifecycle.capacityAdded(); // one event plans both functions
      return null;
    });

    assertThat(client.created).as("the index follows the first function's creation before the second is placed")
        .hasSize(1);
  }

  @Test
  void answerAfterTheFunctionWasDeleted_deletesTheSandbox() throws Exception {
    join("w1", 4000);
    onContext(() -> {
      lifecycle.scale("f", 1);
      return null;
    });
    String id = client.created.get(0);

    functions.set(Map.of());
    onContext(() -> {
      lifecycle.removeFunction("f");
      return null;
    });
    client.answer(id);

    await().until(() -> client.deleted.contains(id));
    assertThat(onContext(lifecycle::snapshot)).isEmpty();
  }

  @Test
  void anAnswerThatMayHideASandbox_afterTheFunctionWasDeleted_stillDeletesIt() throws Exception {
    join("w1", 4000);
    onContext(() -> {
      lifecycle.scale("f", 1);
      return null;
    });
    String id = client.created.get(0);
    functions.set(Map.of());
    onContext(() -> {
      lifecycle.removeFunction("f");
      return null;
    });

    client.fail(id, new CreateAnswer.MayExist("DEADLINE_EXCEEDED", "DEADLINE_EXCEEDED: deadline passed"));

    // Nobody tracks it any more: a sandbox the worker finished late would run unseen until a listing revealed it.
    await().atMost(Duration.ofSeconds(5)).until(() -> client.deleted.contains(id));
  }

  @Test
  void noCapacity_isCountedAndRetriedAfterTheBackoff() throws Exception {
    join("small", 100); // the function needs 100 cpu: fits once
    onContext(() -> {
      lifecycle.scale("f", 2);
      return null;
    });
    assertThat(client.created).hasSize(1);
    // At least once: the backoff timer may already have retried (and failed again) by now.
    assertThat(creations.labelValues("no_capacity").get()).isGreaterThanOrEqualTo(1.0);

    join("big", 4000);

    await().atMost(Duration.ofSeconds(5)).until(() -> client.created.size() == 2);
    assertThat(onContext(lifecycle::snapshot)).extracting(Instance::workerId)
        .containsExactlyInAnyOrder("small", "big");
  }

  private FunctionStatus.PlacementFailure placementFailure(StatusBoard board) throws Exception {
    return onContext(() -> board.snapshot().getOrDefault("f", FunctionStatus.NONE).lastPlacementFailure());
  }

  @Test
  void noCapacity_isInTheStatusWithItsReason_untilAnInstanceIsPlaced() throws Exception {
    StatusBoard board = new StatusBoard(null);
    AtomicInteger changes = new AtomicInteger();
    InstanceLifecycle observed = new InstanceLifecycle(vertx, System::currentTimeMillis, membership, client,
        functions::get, new InstanceLifecycle.Settings(7, 50, 10, 1000, 30_000), creations,
        Histogram.builder().name("h2").build(), changes::incrementAndGet);
    observed.statusBoard(board);
    join("small", 150); // the function needs 100m: fits once
    onContext(() -> {
      observed.scale("f", 2);
      return null;
    });
    int changesAfterFirstPlacement = changes.get();

    FunctionStatus.PlacementFailure failure = placementFailure(board);
    assertThat(failure).isNotNull();
    assertThat(failure.message()).isEqualTo("no worker has 100m CPU free: small has 50m CPU");
    assertThat(failure.sinceMillis()).isLessThanOrEqualTo(failure.atMillis());
    assertThat(changesAfterFirstPlacement).as("published, so data planes can tell callers").isPositive();

    join("big", 4000);
    await().atMost(Duration.ofSeconds(5)).until(() -> client.created.size() == 2);
    client.answer(client.created.get(0));
    assertThat(placementFailure(board)).as("one instance still being created").isNotNull();

    client.answer(client.created.get(1));

    await().atMost(Duration.ofSeconds(5)).until(() -> placementFailure(board) == null);
    assertThat(onContext(() -> observed.readyInstances("f"))).isEqualTo(2);
  }

  @Test
  void aWorkersRefusalForLackOfRoom_isInTheStatusToo() throws Exception {
    StatusBoard board = new StatusBoard(null);
    lifecycle.statusBoard(board);
    join("w1", 4000);
    onContext(() -> {
      lifecycle.scale("f", 1);
      return null;
    });

    String noRoom = "no capacity for f-1-x: cpu: 100m requested, 0m of 8000m free (the rest is kept for Emergency"
        + " Instances)";
    client.fail(client.created.get(0), new CreateAnswer.Refused("RESOURCE_EXHAUSTED", "RESOURCE_EXHAUSTED: " + noRoom,
        noRoom));

    await().atMost(Duration.ofSeconds(5)).until(() -> placementFailure(board) != null);
    assertThat(placementFailure(board).message()).isEqualTo("worker w1 has no room: no capacity for f-1-x: cpu: 100m"
        + " requested, 0m of 8000m free (the rest is kept for Emergency Instances)");
    // Retried after the backoff; once that creation answers, nothing waits for room.
    await().atMost(Duration.ofSeconds(5)).until(() -> client.pending.size() == 1);
    client.pending.keySet().forEach(client::answer);
    await().atMost(Duration.ofSeconds(5)).until(() -> placementFailure(board) == null);
  }

  @Test
  void anAnswerThatMayHideASandbox_deletesIt_aRefusalDoesNot() throws Exception {
    StatusBoard board = new StatusBoard(null);
    lifecycle.statusBoard(board);
    join("w1", 4000);
    onContext(() -> {
      lifecycle.scale("f", 2);
      return null;
    });
    String refused = client.created.get(0);
    String unanswered = client.created.get(1);

    client.fail(refused, new CreateAnswer.Refused("INVALID_ARGUMENT", "INVALID_ARGUMENT: bad image", null));
    client.fail(unanswered, new CreateAnswer.MayExist("DEADLINE_EXCEEDED", "DEADLINE_EXCEEDED: deadline passed"));

    await().atMost(Duration.ofSeconds(5)).until(() -> client.deleted.contains(unanswered));
    assertThat(client.deleted).doesNotContain(refused);
    FunctionStatus.CreateFailure last = onContext(() -> board.snapshot().get("f").lastCreateFailure());
    assertThat(last.code()).isEqualTo("DEADLINE_EXCEEDED");
    assertThat(placementFailure(board)).as("neither says the worker lacked room").isNull();
  }

  @Test
  void noCapacity_isForgottenWhenNoInstanceIsWantedAnyMore() throws Exception {
    StatusBoard board = new StatusBoard(null);
    lifecycle.statusBoard(board);
    join("small", 150);
    onContext(() -> {
      lifecycle.scale("f", 2);
      return null;
    });
    assertThat(placementFailure(board)).isNotNull();
    client.answer(client.created.get(0));
    await().atMost(Duration.ofSeconds(5)).until(() -> onContext(() -> lifecycle.readyInstances("f")) == 1);

    // The backoff may still run: scaling down must clear the status whether or not a retry is due.
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      onContext(() -> {
        lifecycle.scale("f", 1);
        return null;
      });
      return placementFailure(board) == null;
    });
    assertThat(client.created).hasSize(1);
  }

  @Test
  void workerDead_dropsItsInstances_andRecreatesElsewhere() throws Exception {
    join("w1", 4000);
    onContext(() -> {
      lifecycle.scale("f", 1);
      return null;
    });
    client.answer(client.created.get(0));
    await().until(() -> onContext(() -> lifecycle.readyInstances("f")) == 1);
    join("w2", 4000);

    onContext(() -> {
      membership.expire(Long.MAX_VALUE / 2);
      membership.register(new WorkerInfo("w2", "127.0.0.1:2", "h", "fake", 4000, 4096), 0);
      lifecycle.onWorkerDead("w1");
      return null;
    });

    assertThat(client.created).hasSize(2);
    assertThat(onContext(lifecycle::snapshot)).singleElement()
        .satisfies(i -> assertThat(i.workerId()).isEqualTo("w2"));
  }

  @Test
  void shutdown_waitsForPendingCreations_thenDeletesThem() throws Exception {
    join("w1", 4000);
    onContext(() -> {
      lifecycle.scale("f", 2);
      return null;
    });
    client.answer(client.created.get(0));
    await().until(() -> onContext(() -> lifecycle.readyInstances("f")) == 1);

    Future<Void> done = onContext(() -> lifecycle.shutdown(5_000));
    await().until(() -> client.deleted.contains(client.created.get(0)));
    assertThat(done.isComplete()).isFalse(); // still waiting for the second creation's answer

    client.answer(client.created.get(1));

    await().until(done::isComplete);
    assertThat(client.deleted).containsExactlyInAnyOrderElementsOf(client.created);
    onContext(() -> {
      lifecycle.scale("f", 3);
      return null;
    });
    assertThat(client.created).hasSize(2); // nothing is created after shutdown
  }

  @Test
  void removeFunction_drainsLikeARevisionChange_boundedByTheDeletedFunctionsTimeout() throws Exception {
    // Time is a manual clock here: the drain's bound is what is tested, not how fast the timers run.
    AtomicLong now = new AtomicLong(1_000_000);
    AtomicInteger asked = new AtomicInteger();
    AtomicBoolean busy = new AtomicBoolean(true);
    InstanceLifecycle drained = new InstanceLifecycle(vertx, now::get, membership, client, functions::get,
        new InstanceLifecycle.Settings(7, 50, 10, 1000, 30_000), creations, Histogram.builder().name("h2").build(),
        () -> { });
    drained.inUseBy(id -> {
      asked.incrementAndGet();
      return busy.get();
    });
    join("w1", 4000);
    onContext(() -> {
      drained.scale("f", 1);
      return null;
    });
    String id = client.created.get(0);
    client.answer(id);
    await().until(() -> onContext(() -> drained.readyInstances("f")) == 1);

    // DELETE: the record is gone; a request still runs on the instance (timeoutSeconds 30).
    functions.set(Map.of());
    onContext(() -> {
      drained.removeFunction("f");
      return null;
    });
    assertThat(onContext(drained::snapshot)).singleElement()
        .satisfies(i -> assertThat(i.state()).isEqualTo(InstanceState.DRAINING));
    now.addAndGet(29_000); // within drain time + the function's timeout
    int seen = asked.get();
    // Looked at (or deleted instead); rechecks are deadlines on the same clock: looked at again once it moves.
    await().until(() -> asked.get() >= seen + 1 || client.deleted.contains(id));
    now.addAndGet(LifecyclePlanner.DRAIN_RECHECK_MILLIS);
    await().until(() -> asked.get() >= seen + 2 || client.deleted.contains(id));
    assertThat(client.deleted).as("deleted while its request runs").doesNotContain(id);

    busy.set(false); // the request answered
    now.addAndGet(LifecyclePlanner.DRAIN_RECHECK_MILLIS);

    await().until(() -> client.deleted.contains(id));
    await().until(() -> onContext(drained::snapshot).isEmpty());
  }

  @Test
  void removeFunction_givesUpWaitingAtTheDeletedFunctionsTimeout() throws Exception {
    AtomicLong now = new AtomicLong(1_000_000);
    InstanceLifecycle drained = new InstanceLifecycle(vertx, now::get, membership, client, functions::get,
        new InstanceLifecycle.Settings(7, 50, 10, 1000, 30_000), creations, Histogram.builder().name("h3").build(),
        () -> { });
    drained.inUseBy(id -> true); // a data plane never stops reporting the request
    join("w1", 4000);
    onContext(() -> {
      drained.scale("f", 1);
      return null;
    });
    String id = client.created.get(0);
    client.answer(id);
    await().until(() -> onContext(() -> drained.readyInstances("f")) == 1);
    functions.set(Map.of());
    onContext(() -> {
      drained.removeFunction("f");
      return null;
    });

    now.addAndGet(10 + 30_000); // drain time + timeoutSeconds

    await().until(() -> client.deleted.contains(id));
  }

  @Test
  void workerBackLongAfterItsReplacementsRan_doesNotTakeTheFunctionAboveMaxScale() throws Exception {
    workerBackAfterItsReplacementsRan(120_000); // well past the 30 s tombstones of what it held
  }

  @Test
  void workerBackSoonAfterItsReplacementsRan_hasItsExtrasDeletedAtOnce() throws Exception {
    workerBackAfterItsReplacementsRan(1_000);
  }

  private void workerBackAfterItsReplacementsRan(long returnAfterMillis) throws Exception {
    AtomicLong now = new AtomicLong(1_000_000);
    functions.set(Map.of("f", SandboxReconcilerTest.record("f", 1, 2)));
    InstanceLifecycle bounded = new InstanceLifecycle(vertx, now::get, membership, client, functions::get,
        new InstanceLifecycle.Settings(7, 50, 10, 1000, 30_000), creations, Histogram.builder().name("h4").build(),
        () -> { });
    WorkerInfo a = new WorkerInfo("a", "127.0.0.1:1", "h", "fake", 4000, 4096);
    WorkerInfo b = new WorkerInfo("b", "127.0.0.1:2", "h", "fake", 4000, 4096);
    onContext(() -> {
      membership.register(a, now.get());
      bounded.scale("f", 2);
      return null;
    });
    List<String> onA = List.copyOf(client.created);
    onA.forEach(client::answer);
    await().until(() -> onContext(() -> bounded.readyInstances("f")) == 2);

    // A goes silent past the worker timeout; its replacements are created on B.
    now.addAndGet(61_000);
    onContext(() -> {
      membership.register(b, now.get());
      membership.expire(now.get()).forEach(dead -> bounded.onWorkerDead(dead.id()));
      return null;
    });
    List<String> onB = client.created.subList(2, client.created.size());
    assertThat(onB).hasSize(2);
    onB.forEach(client::answer);
    await().until(() -> onContext(() -> bounded.readyInstances("f")) == 2);

    // A comes back, still running both sandboxes.
    now.addAndGet(returnAfterMillis);
    List<ReportedSandbox> listing = onA.stream().map(id -> new ReportedSandbox(id, "f", 1,
        ReportedSandbox.Kind.REGULAR, ReportedSandbox.Status.READY, new HostPort("127.0.0.1", 9999), 1_000_000,
        new io.pulse.controlplane.placement.ResourceRequest(100, 64))).toList();
    onContext(() -> {
      bounded.housekeeping();
      membership.register(a, now.get());
      bounded.onWorkerReport("a", WorkerListing.unstamped(listing));
      bounded.reconcileAll();
      return null;
    });

    assertThat(client.deleted).containsExactlyInAnyOrderElementsOf(onA);
    assertThat(onContext(bounded::snapshot)).hasSize(2).allSatisfy(i -> assertThat(i.workerId()).isEqualTo("b"));
    assertThat(client.created).hasSize(4);
    // A later heartbeat listing them again (the deletion still under way) neither adopts nor deletes them twice.
    onContext(() -> bounded.onWorkerReport("a", WorkerListing.unstamped(listing)));
    assertThat(client.deleted).hasSize(2);
    assertThat(onContext(() -> bounded.instances("f"))).isEqualTo(2);
  }

  /** A worker client whose creations answer at once with {@code answer}, and whose deletions succeed; notes each. */
  private static WorkerClient answeringAtOnce(java.util.function.Supplier<CreateAnswer> answer, List<String> sent) {
    return new WorkerClient() {
      @Override
      public Future<CreateAnswer> create(WorkerInfo worker, String instanceId, FunctionRecord function, long epoch) {
        sent.add("create");
        return Future.succeededFuture(answer.get());
      }

      @Override
      public Future<Boolean> delete(WorkerInfo worker, String instanceId, long epoch) {
        sent.add("delete");
        return Future.succeededFuture(true);
      }

      @Override
      public void forget(String workerId) {}

      @Override
      public void close() {}
    };
  }

  /** A lifecycle on the manual timers, with worker w1 registered. */
  private InstanceLifecycle onManualTimers(ManualTimers timers, WorkerClient client, String histogram) {
    Membership members = new Membership(7, 60_000);
    members.register(new WorkerInfo("w1", "127.0.0.1:1", "h", "fake", 4000, 4096), timers.now());
    return new InstanceLifecycle(timers, new java.util.SplittableRandom(1), timers.clock(), members, client,
        functions::get, new InstanceLifecycle.Settings(7, 50, 10, 1000, 30_000), creations,
        Histogram.builder().name(histogram).build(), () -> { });
  }

  @Test
  void onTheManualTimers_aLateListingTakenBeforeTheCreation_keepsTheInstance_aNewerOneWithoutItDropsIt() {
    ManualTimers timers = new ManualTimers(1_000_000);
    List<String> sent = new java.util.ArrayList<>();
    InstanceLifecycle stamped = onManualTimers(timers,
        answeringAtOnce(() -> new CreateAnswer.Created(new HostPort("127.0.0.1", 9999), 41), sent), "h6");
    stamped.scale("f", 1);
    String id = stamped.snapshot().getFirst().id();
    assertThat(stamped.readyInstances("f")).isEqualTo(1);

    timers.advance(10_000); // ten report graces: a listing without generations would drop it now
    stamped.onWorkerReport("w1", new WorkerListing(40, List.of())); // taken before the creation, delivered late

    assertThat(stamped.snapshot()).extracting(Instance::id).containsExactly(id);
    assertThat(sent).containsExactly("create");

    stamped.onWorkerReport("w1", new WorkerListing(41, List.of())); // taken after it was recorded: it is gone

    assertThat(stamped.snapshot()).extracting(Instance::id).doesNotContain(id);
    assertThat(sent).as("replaced").containsExactly("create", "create");
  }

  @Test
  void onTheManualTimers_aRefusedCreationIsRetriedExactlyAtTheBackoffDeadline_andADrainedInstanceDeletedAtItsCheck() {
    ManualTimers timers = new ManualTimers(1_000_000);
    List<String> sent = new java.util.ArrayList<>();
    AtomicBoolean refuse = new AtomicBoolean(true);
    InstanceLifecycle manual = onManualTimers(timers, answeringAtOnce(() -> refuse.get()
        ? new CreateAnswer.Refused("NO", "refused", null) : new CreateAnswer.Created(new HostPort("127.0.0.1", 9999)),
        sent), "h5");

    manual.scale("f", 1);
    assertThat(sent).containsExactly("create");
    refuse.set(false);
    timers.advance(49);
    assertThat(sent).as("still backing off").containsExactly("create");
    timers.advance(1);
    assertThat(sent).containsExactly("create", "create");
    assertThat(manual.readyInstances("f")).isEqualTo(1);

    manual.scale("f", 0); // drained: deleted at its check, drainMillis (10) later, since no request runs on it
    timers.advance(9);
    assertThat(sent).containsExactly("create", "create");
    timers.advance(1);
    assertThat(sent).containsExactly("create", "create", "delete");
  }
}
