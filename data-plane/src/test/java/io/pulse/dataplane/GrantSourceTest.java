package io.pulse.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.common.net.HostPort;
import io.pulse.dataplane.coldstart.WaitQueue;
import io.pulse.dataplane.coldstart.WaitQueues;
import io.pulse.dataplane.expedited.EmergencyInstance;
import io.pulse.dataplane.expedited.EmergencyLedger;
import io.pulse.dataplane.expedited.ExpeditedTrack;
import io.pulse.dataplane.expedited.Launch;
import io.pulse.dataplane.expedited.SandboxCreator;
import io.pulse.dataplane.lb.Balancer;
import io.pulse.dataplane.lb.InFlightCounters;
import io.pulse.dataplane.lb.LbPolicy;
import io.pulse.dataplane.routing.Instance;
import io.pulse.dataplane.routing.Route;
import io.pulse.dataplane.routing.RouteDelta;
import io.pulse.dataplane.routing.RoutingState;
import io.pulse.dataplane.routing.SandboxTemplate;
import io.pulse.dataplane.routing.ScalingPolicy;
import io.pulse.dataplane.routing.WorkerRef;
import io.pulse.dataplane.tracks.CreationTimes;
import io.pulse.dataplane.tracks.PoolHits;
import io.pulse.dataplane.tracks.TrackChoice;
import io.pulse.dataplane.tracks.TrackRule;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import io.pulse.dataplane.stats.MetricFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The wait queue decides under its lock and acts after it: a stale idle Emergency Instance that a pass finds is
 * deleted once the queue's lock is released, and the wake-up its freed headroom causes serves the waiter then.
 */
class GrantSourceTest {

  private final Vertx vertx = Vertx.vertx();
  private final RoutingState routing = new RoutingState();
  private final AtomicLong nanos = new AtomicLong();
  /** Per deletion: whether the thread was inside the queue's locked section when it started. */
  private final List<Boolean> deletedUnderTheQueueLock = new CopyOnWriteArrayList<>();
  private final WaitQueues<Grant> queues;
  private final GrantSource grants;
  private final ExpeditedTrack expedited;
  private final TrackChoice tracks;
  private final MetricFilter filter = new MetricFilter(50, 100, nanos::get);
  /** The functions whose queues the grant source woke. */
  private final List<String> woken = new CopyOnWriteArrayList<>();

  GrantSourceTest() {
    tracks = new TrackChoice(TrackRule.Settings.DEFAULT, nanos::get, new CreationTimes(), () -> 1.0,
        PoolHits.NONE);
    expedited = new ExpeditedTrack(vertx, new InstantCreator(), new EmergencyLedger(8, 60_000, nanos::get),
        new ExpeditedTrack.Listener() {
          @Override
          public void headroomFreed() {
            queues.wakeAll();
          }

          @Override
          public void created(EmergencyInstance instance) {}

          @Override
          public void creationFailed(String function, String workerId) {}

          @Override
          public void disposed(EmergencyInstance instance, long endedAtMillis) {}
        });
    grants = new GrantSource(routing, new Balancer(new InFlightCounters(), LbPolicy.leastLoaded()),
        expedited, tracks, filter, woken::add, 10_000);
    queues = new WaitQueues<>(8, grants::slotsOf);
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** Creations asked for while held (in order), for the test to end; ended at once otherwise. */
  private final List<Promise<HostPort>> heldCreations = new CopyOnWriteArrayList<>();
  private volatile boolean holdCreations;
  private final List<String> deleted = new CopyOnWriteArrayList<>();

  /**
   * Creations succeed at once, or when the test says ({@link #holdCreations}); a deletion notes whether it runs
   * under the queue's lock and completes at once.
   */
  private final class InstantCreator implements SandboxCreator {
    @Override
    public Future<HostPort> create(WorkerRef worker, String instanceId, SandboxTemplate template,
        long timeoutMillis) {
      if (holdCreations) {
        Promise<HostPort> created = Promise.promise();
        heldCreations.add(created);
        return created.future();
      }
      return Future.succeededFuture(new HostPort("127.0.0.1", 1));
    }

    @Override
    public Future<Void> delete(WorkerRef worker, String instanceId) {
      deletedUnderTheQueueLock.add(queues.queue("f").heldByCurrentThread());
      deleted.add(instanceId);
      return Future.succeededFuture();
    }

    @Override
    public CompletionStage<List<String>> renew(WorkerRef worker, List<String> instanceIds) {
      return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public void close() {}
  }

  private static Route route(long revision) {
    return route(revision, ScalingPolicy.EMERGENCY_ONLY);
  }

  private static Route route(long revision, ScalingPolicy policy) {
    return new Route("f", revision, 1, 30, List.of(), policy, 60, 60_000,
        new SandboxTemplate("f", revision, "", List.of("sleep", "1000"), 0, Map.of(), 100, 64, 60_000));
  }

  @Test
  void staleIdleEmergencyInstance_isDeletedAfterTheQueueLock_andItsHeadroomServesTheWaiter() {
    // Room for one instance: revision 1's, busy with a request.
    routing.apply(new RouteDelta(true, List.of(route(1)), List.of(),
        List.of(new WorkerRef("w", "w:1", 100, 4096, 0, 0)), List.of()));
    Launch launch = expedited.launch(route(1), expedited.reserve(routing.current(), route(1)), 10_000).await();
    EmergencyInstance busy = ((Launch.Launched) launch).instance();
    routing.apply(new RouteDelta(false, List.of(route(2)), List.of(), null, null));

    // A request of revision 2 waits: no Regular slot, no idle instance of its revision, no room for a new one.
    WaitQueue<Grant> queue = queues.queue("f");
    WaitQueue.Admission<Grant> admission = queue.admit(queues.slotsOf("f"));
    assertThat(admission).isInstanceOf(WaitQueue.Admission.Parked.class);
    Future<Grant> grant = ((WaitQueue.Admission.Parked<Grant>) admission).waiter().future();

    // Revision 1's instance goes idle (its request read the route before the swap): the wake-up's pass finds it
    // stale and has it deleted, after the lock.
    expedited.finished(busy, route(1));

    await().until(grant::isComplete);
    assertThat(deletedUnderTheQueueLock).containsExactly(false);
    assertThat(grant.result()).isInstanceOf(Grant.Fresh.class);
    assertThat(queue.size()).isZero();
  }

  @Test
  void regularOf_neverTakesTheExpeditedTrack_evenWithHeadroom() {
    routing.apply(new RouteDelta(true, List.of(route(1)), List.of(),
        List.of(new WorkerRef("w", "w:1", 100, 4096, 0, 0)), List.of()));

    assertThat(queues.queue("f").tryNow(grants.regularOf("f"))).isNull();
    // The full source, asked the same, creates.
    assertThat(queues.queue("f").tryNow(queues.slotsOf("f"))).isInstanceOf(Grant.Fresh.class);
  }

  @Test
  void regularOf_grantsAFreeRegularSlot_thenNothingOnceTheyAreTaken() {
    Route withInstance = new Route("f", 1, 1, 30, List.of(new Instance("i1", "127.0.0.1", 1, "w")),
        ScalingPolicy.EMERGENCY_ONLY, 60, 60_000, route(1).sandbox());
    routing.apply(new RouteDelta(true, List.of(withInstance), List.of(),
        List.of(new WorkerRef("w", "w:1", 100, 4096, 0, 0)), List.of()));

    Grant first = queues.queue("f").tryNow(grants.regularOf("f"));
    assertThat(first).isInstanceOf(Grant.Regular.class);
    assertThat(queues.queue("f").tryNow(grants.regularOf("f"))).as("one slot").isNull();
    ((Grant.Regular) first).lease().release();
    assertThat(queues.queue("f").tryNow(grants.regularOf("f"))).isInstanceOf(Grant.Regular.class);
  }

  @Test
  void dualTrack_noRegularInstance_theFirstRequestWaitsForTheScaleFromZero_theNextOneCreates() {
    routing.apply(new RouteDelta(true, List.of(route(1, ScalingPolicy.DUAL_TRACK)), List.of(),
        List.of(new WorkerRef("w", "w:1", 100, 4096, 0, 0)), List.of()));

    // PulseNet's rule would create for it; its wait asks for a Regular Instance, expected as soon.
    assertThat(queues.queue("f").admit(queues.slotsOf("f"))).isInstanceOf(WaitQueue.Admission.Parked.class);
    // The one behind it would wait a whole execution more (unknown: none seen yet): the expedited track.
    WaitQueue.Admission<Grant> next = queues.queue("f").admit(queues.slotsOf("f"));
    assertThat(next).isInstanceOf(WaitQueue.Admission.Granted.class);
    assertThat(((WaitQueue.Admission.Granted<Grant>) next).slot()).isInstanceOf(Grant.Fresh.class);
    assertThat(queues.queue("f").size()).as("the first still waits").isEqualTo(1);
  }

  @Test
  void dualTrack_noRegularInstance_aFunctionKnownToBeRare_createsAtOnce() {
    routing.apply(new RouteDelta(true, List.of(route(1, ScalingPolicy.DUAL_TRACK)), List.of(),
        List.of(new WorkerRef("w", "w:1", 100, 4096, 0, 0)), List.of()));
    filter.arrived("f");
    nanos.addAndGet(120_000_000_000L); // above the route's 60 s keep-alive: a Regular Instance would expire unused
    filter.arrived("f");

    assertThat(queues.queue("f").admit(queues.slotsOf("f"))).isInstanceOf(WaitQueue.Admission.Granted.class);
  }

  @Test
  void dualTrackCreation_holdsAPlaceUnderTheCap_untilItEnds_thenWakesTheFunction() {
    routing.apply(new RouteDelta(true, List.of(route(1, ScalingPolicy.DUAL_TRACK)), List.of(),
        List.of(new WorkerRef("w", "w:1", 100, 4096, 0, 0)), List.of()));
    filter.arrived("f");
    nanos.addAndGet(120_000_000_000L); // known to be rare: no wait for a scale from zero
    filter.arrived("f");

    WaitQueue.Admission<Grant> admission = queues.queue("f").admit(queues.slotsOf("f"));

    assertThat(admission).isInstanceOf(WaitQueue.Admission.Granted.class);
    Grant.Fresh fresh = (Grant.Fresh) ((WaitQueue.Admission.Granted<Grant>) admission).slot();
    assertThat(tracks.times("f").creating()).isEqualTo(1);
    assertThat(woken).isEmpty();

    Launch launch = expedited.launch(route(1, ScalingPolicy.DUAL_TRACK), fresh.reservation(), 10_000).await();

    assertThat(launch).isInstanceOf(Launch.Launched.class);
    assertThat(tracks.times("f").creating()).as("the place went back when the creation ended").isZero();
    assertThat(woken).as("a request held back by the cap may go now").containsExactly("f");
  }

  /**
   * Routes "f" dual-track with one Regular Instance (one slot) and the given Emergency keep-alive over the workers,
   * after two arrivals {@code interArrivalNanos} apart (the route's keep-alive is 60 s: the metric filter's verdict).
   */
  private void dualTrackWithRegularInstance(int emergencyKeepAliveMs, long interArrivalNanos, WorkerRef... workers) {
    Route route = new Route("f", 1, 1, 30, List.of(new Instance("i1", "127.0.0.1", 1, "w")),
        ScalingPolicy.DUAL_TRACK, 60, emergencyKeepAliveMs, route(1).sandbox());
    routing.apply(new RouteDelta(true, List.of(route), List.of(), List.of(workers), List.of()));
    filter.arrived("f");
    nanos.addAndGet(interArrivalNanos);
    filter.arrived("f");
  }

  /** Parks a new request of "f" and answers its future. */
  private Future<Grant> park() {
    WaitQueue.Admission<Grant> admission = queues.queue("f").admit(queues.slotsOf("f"));
    assertThat(admission).isInstanceOf(WaitQueue.Admission.Parked.class);
    return ((WaitQueue.Admission.Parked<Grant>) admission).waiter().future();
  }

  @Test
  void dualTrackWithRegularInstances_aCreationServesWhoeverWaitsFirst_notTheRequestItWasStartedFor() {
    // Invoked often enough for its expedited requests to count.
    dualTrackWithRegularInstance(0, 1_000_000_000L, new WorkerRef("w", "w:1", 1000, 4096, 0, 0));
    holdCreations = true;
    Grant busy = queues.queue("f").tryNow(queues.slotsOf("f"));
    assertThat(busy).as("the Regular slot").isInstanceOf(Grant.Regular.class);

    // No execution time seen yet: the wait for the slot is unknown, so each of the two starts a creation, and waits.
    Future<Grant> first = park();
    assertThat(heldCreations).hasSize(1);
    Future<Grant> second = park();
    assertThat(heldCreations).hasSize(2);
    assertThat(tracks.times("f").unbound()).isEqualTo(2);
    // Covered by the creations under way: asking again starts none.
    queues.wake("f");
    assertThat(heldCreations).hasSize(2);

    // The creation started for the second request ends first: the first request, waiting longest, takes it.
    heldCreations.get(1).complete(new HostPort("127.0.0.1", 2));
    await().until(first::isComplete);
    assertThat(first.result()).isInstanceOfSatisfying(Grant.Warm.class, w -> assertThat(w.fresh()).isTrue());
    assertThat(second.isComplete()).isFalse();
    assertThat(tracks.times("f").unbound()).isEqualTo(1);

    // The Regular slot frees before the other creation ends: the second request takes it.
    ((Grant.Regular) busy).lease().release();
    queues.wake("f");
    await().until(second::isComplete);
    assertThat(second.result()).isInstanceOf(Grant.Regular.class);

    // The other creation ends with nobody waiting: single use, so the instance is deleted once nobody took it.
    heldCreations.get(0).complete(new HostPort("127.0.0.1", 3));
    await().until(() -> deleted.size() == 1);
    assertThat(expedited.live()).as("the one serving the first request").isEqualTo(1);
    assertThat(tracks.times("f").creating()).isZero();
    assertThat(deletedUnderTheQueueLock).containsOnly(false);
  }

  @Test
  void dualTrackWithRegularInstances_aFailedLateBoundCreation_letsItsWaiterChooseAgain() {
    dualTrackWithRegularInstance(500, 1_000_000_000L, new WorkerRef("w", "w:1", 1000, 4096, 0, 0),
        new WorkerRef("v", "v:1", 1000, 4096, 0, 0));
    holdCreations = true;
    assertThat(queues.queue("f").tryNow(queues.slotsOf("f"))).isInstanceOf(Grant.Regular.class);

    Future<Grant> waiter = park();
    assertThat(heldCreations).hasSize(1);
    heldCreations.get(0).fail(new IllegalStateException("the sandbox would not start"));

    // The failure uncovers the waiter and asks for a wake-up (here carried out by hand): it starts another creation,
    // on the other worker (the first cools down).
    await().until(() -> woken.contains("f"));
    assertThat(tracks.times("f").unbound()).isZero();
    queues.wake("f");
    assertThat(heldCreations).hasSize(2);
    assertThat(waiter.isComplete()).isFalse();
    heldCreations.get(1).complete(new HostPort("127.0.0.1", 2));
    await().until(waiter::isComplete);
    assertThat(waiter.result()).isInstanceOf(Grant.Warm.class);
    assertThat(tracks.times("f").creating()).isZero();
  }

  @Test
  void dualTrackWithRegularInstances_aRareFunction_keepsItsCreationsBoundToTheirRequests() {
    // Invoked too rarely for the metric filter to count its expedited requests.
    dualTrackWithRegularInstance(0, 120_000_000_000L, new WorkerRef("w", "w:1", 1000, 4096, 0, 0));
    assertThat(queues.queue("f").tryNow(queues.slotsOf("f"))).isInstanceOf(Grant.Regular.class);

    // Parked, it would count toward scaling as queued; bound, it goes at once, uncounted.
    assertThat(queues.queue("f").tryNow(queues.slotsOf("f"))).isInstanceOf(Grant.Fresh.class);
  }

  @Test
  void dualTrackScalingFromZero_theCreationForTheSecondWaiterMayServeTheFirst_theScaleFromZeroThenTheSecond() {
    routing.apply(new RouteDelta(true, List.of(route(1, ScalingPolicy.DUAL_TRACK)), List.of(),
        List.of(new WorkerRef("w", "w:1", 1000, 4096, 0, 0)), List.of()));
    filter.arrived("f");
    nanos.addAndGet(1_000_000_000L); // invoked often enough for its expedited requests to count
    filter.arrived("f");
    holdCreations = true;

    // The first waits for the scale from zero; the second starts a creation and waits too; asking again starts none.
    Future<Grant> first = park();
    assertThat(heldCreations).isEmpty();
    Future<Grant> second = park();
    assertThat(heldCreations).hasSize(1);
    queues.wake("f");
    assertThat(heldCreations).hasSize(1);

    // The creation is ready before the scale from zero: the first takes it.
    heldCreations.get(0).complete(new HostPort("127.0.0.1", 2));
    await().until(first::isComplete);
    assertThat(first.result()).isInstanceOf(Grant.Warm.class);
    assertThat(second.isComplete()).isFalse();

    // The Regular Instance arrives: the second takes its slot.
    Route scaled = new Route("f", 1, 1, 30, List.of(new Instance("i1", "127.0.0.1", 1, "w")),
        ScalingPolicy.DUAL_TRACK, 60, 60_000, route(1).sandbox());
    routing.apply(new RouteDelta(false, List.of(scaled), List.of(), null, null));
    queues.wake("f");
    await().until(second::isComplete);
    assertThat(second.result()).isInstanceOf(Grant.Regular.class);
  }
}
