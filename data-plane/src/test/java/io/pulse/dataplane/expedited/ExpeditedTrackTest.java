package io.pulse.dataplane.expedited;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.pulse.common.net.HostPort;
import io.pulse.dataplane.routing.Route;
import io.pulse.dataplane.routing.RouteDelta;
import io.pulse.dataplane.routing.RoutingTable;
import io.pulse.dataplane.routing.SandboxTemplate;
import io.pulse.dataplane.routing.ScalingPolicy;
import io.pulse.dataplane.routing.WorkerRef;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The expedited track's side of a failed creation, against a creator whose answers the test gives. */
class ExpeditedTrackTest {

  private static final Route ROUTE = new Route("f", 1, 1, 30, List.of(), ScalingPolicy.DUAL_TRACK, 60, 0,
      new SandboxTemplate("f", 1, "", List.of("sleep", "1000"), 0, Map.of(), 100, 64, 60_000));
  private static final RoutingTable TABLE = RoutingTable.empty().apply(new RouteDelta(true, List.of(ROUTE), List.of(),
      List.of(new WorkerRef("w", "w:1", 100, 4096, 0, 0)), List.of())); // room for one instance

  private final Vertx vertx = Vertx.vertx();
  private final AtomicLong nanos = new AtomicLong();
  private final EmergencyLedger ledger = new EmergencyLedger(8, 60_000, nanos::get);
  private final FakeCreator creator = new FakeCreator();
  private final AtomicInteger headroomFreed = new AtomicInteger();
  private final ExpeditedTrack track = new ExpeditedTrack(vertx, creator, ledger, new ExpeditedTrack.Listener() {
    @Override
    public void headroomFreed() {
      headroomFreed.incrementAndGet();
    }

    @Override
    public void created(EmergencyInstance instance) {}

    @Override
    public void creationFailed(String function, String workerId) {}

    @Override
    public void disposed(EmergencyInstance instance, long endedAtMillis) {}
  });

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** Creations and deletions wait for the test to answer them. */
  private static final class FakeCreator implements SandboxCreator {
    final AtomicReference<Promise<HostPort>> creation = new AtomicReference<>();
    final AtomicLong timeoutGiven = new AtomicLong();
    final List<String> deleted = new CopyOnWriteArrayList<>();
    final Promise<Void> deletion = Promise.promise();

    @Override
    public Future<HostPort> create(WorkerRef worker, String instanceId, SandboxTemplate template,
        long timeoutMillis) {
      timeoutGiven.set(timeoutMillis);
      Promise<HostPort> answer = Promise.promise();
      creation.set(answer);
      return answer.future();
    }

    @Override
    public Future<Void> delete(WorkerRef worker, String instanceId) {
      deleted.add(instanceId);
      return deletion.future();
    }

    @Override
    public CompletionStage<List<String>> renew(WorkerRef worker, List<String> instanceIds) {
      return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public void close() {}
  }

  @Test
  void launch_cutShortAtTheRequestsDeadline_deletesTheSandbox_noCooldown_headroomBackOnceDeleted() {
    Reservation reservation = track.reserve(TABLE, ROUTE);
    Future<Launch> launch = track.launch(ROUTE, reservation, 2_000);
    assertThat(creator.timeoutGiven.get()).as("the request's remaining time, not the readiness timeout")
        .isEqualTo(2_000);

    creator.creation.get().fail(new CreationCutShort("not ready within the request's remaining 2000 ms"));

    assertThat(launch.result()).isInstanceOfSatisfying(Launch.Failed.class, failed -> {
      assertThat(failed.cutShort()).isTrue();
      assertThat(failed.code()).isEqualTo("DEADLINE_EXCEEDED");
      assertThat(creator.deleted).containsExactly(failed.instanceId());
    });
    int before = headroomFreed.get();
    assertThat(track.reserve(TABLE, ROUTE)).as("held until the worker has deleted the sandbox").isNull();

    creator.deletion.complete();

    assertThat(headroomFreed.get()).isEqualTo(before + 1);
    assertThat(track.reserve(TABLE, ROUTE)).as("free again, and the worker is not cooling down").isNotNull();
  }

  /** Runs of the creation ticket's release, per test. */
  private final AtomicInteger placesReleased = new AtomicInteger();

  private Reservation reserveWithPlace() {
    Reservation reservation = track.reserve(TABLE, ROUTE, CreationTicket.releasing(placesReleased::incrementAndGet));
    assertThat(reservation).isNotNull();
    assertThat(ledger.creating("w")).isEqualTo(1);
    assertThat(placesReleased).hasValue(0);
    return reservation;
  }

  private void assertCreationEndedOnce(Reservation reservation) {
    assertThat(placesReleased).as("the creation place goes back once").hasValue(1);
    assertThat(ledger.creating("w")).as("the worker's creation count too").isZero();
    assertThat(reservation.creation().ended()).isTrue();
    ledger.creationEnded(reservation); // a second end, from whatever path, gives back nothing more
    assertThat(placesReleased).hasValue(1);
    assertThat(ledger.creating("w")).isZero();
  }

  @Test
  void creationPlace_created_isReleasedOnce() {
    Reservation reservation = reserveWithPlace();
    Future<Launch> launch = track.launch(ROUTE, reservation, 30_000);
    assertThat(placesReleased).as("held while the creation runs").hasValue(0);

    creator.creation.get().complete(new HostPort("127.0.0.1", 9));

    assertThat(launch.result()).isInstanceOf(Launch.Launched.class);
    assertCreationEndedOnce(reservation);
  }

  @Test
  void creationPlace_failed_isReleasedOnce() {
    Reservation reservation = reserveWithPlace();
    Future<Launch> launch = track.launch(ROUTE, reservation, 30_000);

    creator.creation.get().fail(Status.UNAVAILABLE.asRuntimeException());

    assertThat(launch.result()).isInstanceOf(Launch.Failed.class);
    assertCreationEndedOnce(reservation);
  }

  @Test
  void creationPlace_cutShortAtTheDeadline_isReleasedOnce_beforeTheSandboxIsDeleted() {
    Reservation reservation = reserveWithPlace();
    Future<Launch> launch = track.launch(ROUTE, reservation, 2_000);

    creator.creation.get().fail(new CreationCutShort("not ready within the request's remaining 2000 ms"));

    assertThat(launch.result()).isInstanceOfSatisfying(Launch.Failed.class, f -> assertThat(f.cutShort()).isTrue());
    assertThat(creator.deletion.future().isComplete()).as("the deletion is still under way").isFalse();
    assertCreationEndedOnce(reservation);
  }

  @Test
  void creationPlace_callerLeftBeforeTheCreation_isReleasedOnce() {
    Reservation reservation = reserveWithPlace();

    track.cancel(reservation);

    assertThat(creator.creation.get()).as("nothing was created").isNull();
    assertCreationEndedOnce(reservation);
  }

  @Test
  void held_isWhatWasLaunchedAndNotYetDisposedOf() {
    Future<Launch> launch = track.launch(ROUTE, track.reserve(TABLE, ROUTE), 30_000);
    assertThat(track.held()).as("not while it is being created").isEmpty();

    creator.creation.get().complete(new HostPort("127.0.0.1", 9));
    EmergencyInstance instance = ((Launch.Launched) launch.result()).instance();
    assertThat(track.held()).containsExactly(instance);

    track.finished(instance, null);
    assertThat(track.held()).as("no longer renewed once its deletion is asked for").isEmpty();
  }

  private EmergencyInstance launched() {
    Future<Launch> launch = track.launch(ROUTE, track.reserve(TABLE, ROUTE), 30_000);
    creator.creation.get().complete(new HostPort("127.0.0.1", 9));
    return ((Launch.Launched) launch.result()).instance();
  }

  private static Route keptAlive(long revision, int keepAliveMs) {
    return new Route("f", revision, 1, 30, List.of(), ScalingPolicy.DUAL_TRACK, 60, keepAliveMs, ROUTE.sandbox());
  }

  @Test
  void finished_withAKeepAlive_staysIdleAndHeld_andTheNextRequestOfItsRevisionTakesIt() {
    EmergencyInstance instance = launched();
    int freed = headroomFreed.get();

    track.finished(instance, keptAlive(1, 60_000));

    assertThat(creator.deleted).isEmpty();
    assertThat(track.idle("f")).isEqualTo(1);
    assertThat(track.held()).as("its lease is still renewed: a dead data plane's idle instance is reaped")
        .containsExactly(instance);
    assertThat(headroomFreed.get()).as("an idle instance wakes the waiting requests").isEqualTo(freed + 1);
    assertThat(track.reserve(TABLE, ROUTE)).as("it still holds its headroom").isNull();
    ExpeditedTrack.Warm warm = track.takeWarm(keptAlive(1, 60_000));
    assertThat(warm.instance()).isSameAs(instance);
    assertThat(warm.stale()).isEmpty();
    assertThat(track.idle("f")).isZero();
  }

  @Test
  void finished_whileARegularSlotOfTheFunctionIsFree_isDeletedAfterTheWaitersHadTheirChance() {
    AtomicInteger freeRegular = new AtomicInteger(1);
    track.regularSlots(route -> freeRegular.get());
    EmergencyInstance instance = launched();
    int freed = headroomFreed.get();

    track.finished(instance, keptAlive(1, 60_000));

    assertThat(headroomFreed.get()).as("the waiters were woken first").isGreaterThan(freed);
    assertThat(track.idle("f")).isZero();
    assertThat(track.anyIdle()).isFalse();
    assertThat(creator.deleted).containsExactly(instance.id());
  }

  @Test
  void trim_deletesAnIdleInstanceOnceARegularSlotFrees_andKeepsItWhileNoneIs() {
    AtomicInteger freeRegular = new AtomicInteger(0);
    track.regularSlots(route -> freeRegular.get());
    EmergencyInstance instance = launched();
    track.finished(instance, keptAlive(1, 60_000));
    assertThat(track.idle("f")).as("Regular is full: the keep-alive covers what it cannot").isEqualTo(1);

    track.trim(keptAlive(1, 60_000));
    assertThat(track.idle("f")).as("still no Regular slot").isEqualTo(1);
    assertThat(creator.deleted).isEmpty();

    freeRegular.set(1);
    track.trim(keptAlive(1, 60_000));

    assertThat(track.idle("f")).isZero();
    assertThat(track.anyIdle()).isFalse();
    assertThat(creator.deleted).containsExactly(instance.id());
    assertThat(track.takeWarm(keptAlive(1, 60_000)).instance()).isNull();
  }

  @Test
  void finished_whenItsRouteHasMovedOnOrIsGone_deletesItAtOnce() {
    EmergencyInstance instance = launched();

    track.finished(instance, keptAlive(2, 60_000));

    assertThat(creator.deleted).containsExactly(instance.id());
    assertThat(track.idle("f")).isZero();
  }

  @Test
  void routesChanged_deletesTheIdleInstancesOfARemovedFunction_notThoseStillRouted() {
    EmergencyInstance instance = launched();
    track.finished(instance, keptAlive(1, 60_000));
    RoutingTable stillRouted = RoutingTable.empty().apply(new RouteDelta(true, List.of(keptAlive(1, 60_000)),
        List.of(), List.of(), List.of()));

    track.routesChanged(stillRouted);
    assertThat(creator.deleted).isEmpty();
    assertThat(track.idle("f")).isEqualTo(1);

    track.routesChanged(RoutingTable.empty().apply(new RouteDelta(true, List.of(), List.of(), List.of(),
        List.of())));
    assertThat(creator.deleted).containsExactly(instance.id());
    assertThat(track.idle("f")).isZero();
    assertThat(track.held()).isEmpty();
  }

  @Test
  void launch_failedByTheWorker_coolsItDown_andWakesWaitersWhenTheCooldownEnds() {
    EmergencyLedger quick = new EmergencyLedger(8, 50, System::nanoTime);
    ExpeditedTrack quickTrack = new ExpeditedTrack(vertx, creator, quick, new ExpeditedTrack.Listener() {
      @Override
      public void headroomFreed() {
        headroomFreed.incrementAndGet();
      }

      @Override
      public void created(EmergencyInstance instance) {}

      @Override
      public void creationFailed(String function, String workerId) {}

      @Override
      public void disposed(EmergencyInstance instance, long endedAtMillis) {}
    });
    Future<Launch> launch = quickTrack.launch(ROUTE, quickTrack.reserve(TABLE, ROUTE), 30_000);

    creator.creation.get().fail(Status.INTERNAL.withDescription("process exited with code 3; last lines: secret")
        .asRuntimeException());

    assertThat(launch.result()).isInstanceOfSatisfying(Launch.Failed.class, failed -> {
      assertThat(failed.cutShort()).isFalse();
      assertThat(failed.code()).isEqualTo("INTERNAL");
      assertThat(failed.detail()).contains("secret");
    });
    assertThat(creator.deleted).isEmpty();
    // Headroom back at once (a wake-up), and the cooldown's end is a wake-up of its own.
    await().until(() -> headroomFreed.get() == 2);
    assertThat(quickTrack.reserve(TABLE, ROUTE)).isNotNull();
  }
}
