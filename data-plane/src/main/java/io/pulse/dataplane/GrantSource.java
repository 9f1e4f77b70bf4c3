package io.pulse.dataplane;

import io.pulse.dataplane.coldstart.WaitQueue;
import io.pulse.dataplane.expedited.CreationTicket;
import io.pulse.dataplane.expedited.EmergencyInstance;
import io.pulse.dataplane.expedited.ExpeditedTrack;
import io.pulse.dataplane.expedited.Launch;
import io.pulse.dataplane.expedited.Reservation;
import io.pulse.dataplane.lb.Balancer;
import io.pulse.dataplane.lb.Lease;
import io.pulse.dataplane.routing.Route;
import io.pulse.dataplane.routing.RoutingState;
import io.pulse.dataplane.routing.RoutingTable;
import io.pulse.dataplane.routing.ScalingPolicy;
import io.pulse.dataplane.stats.MetricFilter;
import io.pulse.dataplane.tracks.FunctionTimes;
import io.pulse.dataplane.tracks.TrackChoice;
import io.pulse.dataplane.tracks.TrackRule;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The slot source of the wait queues: a free slot on a Regular Instance; else, when the function's policy allows the
 * expedited track, an idle kept-alive Emergency Instance or headroom for a new one; else nothing (wait). For
 * dual-track functions the expedited track is taken only when the {@link TrackChoice} says it is faster than
 * waiting for a Regular slot and the function's creations in flight are under the cap; the first waiting request of a
 * dual-track function with no Regular Instance waits for the scale from zero its wait asks for, unless the metric
 * filter knows the function to be rare (its Regular Instance would expire unused: PulseNet's Emergency-only case).
 *
 * <p>A dual-track function whose expedited requests the metric filter counts binds its creations late: the waiter
 * that a creation is started for keeps its place in the queue, and the instance, when ready, serves whoever waits
 * first then ({@link ExpeditedTrack#offer}), while a Regular slot that frees up first (or the Regular Instance a scale
 * from zero brings) serves the head of the queue as always. Bound to the request that asked, a creation made the
 * oldest waiter (told to wait for a slot) wait on while a newer request went ahead on the new instance; late-bound,
 * every waiter is served by the first slot of either track to come. The first {@link FunctionTimes#unbound} waiters
 * (behind the head, while it waits for a scale from zero) are covered by the creations in flight and start none of
 * their own. A function the filter does not count keeps its creations bound: parked, its requests would count toward
 * scaling as queued.
 */
final class GrantSource {

  private static final Logger LOG = LoggerFactory.getLogger(GrantSource.class);

  /** Waiters passed over in one pass before the rest of the queue is left to the next one. */
  private static final int MAX_PASSED_OVER = 64;

  private final RoutingState routing;
  private final Balancer balancer;
  private final ExpeditedTrack expedited;
  private final TrackChoice tracks;
  private final MetricFilter filter;
  private final Consumer<String> wake;
  private final long unboundTimeoutMillis;

  /**
   * {@code wake}: wakes a function's wait queue (never called under a queue's lock); {@code unboundTimeoutMillis}:
   * how long a late-bound creation may take (the queue's deadline: no waiter waits longer).
   */
  GrantSource(RoutingState routing, Balancer balancer, ExpeditedTrack expedited, TrackChoice tracks,
      MetricFilter filter, Consumer<String> wake, long unboundTimeoutMillis) {
    this.routing = routing;
    this.balancer = balancer;
    this.expedited = expedited;
    this.tracks = tracks;
    this.filter = filter;
    this.wake = wake;
    this.unboundTimeoutMillis = unboundTimeoutMillis;
  }

  /** A slot source for one pass over the queue of {@code function}. */
  WaitQueue.Slots<Grant> slotsOf(String function) {
    return new Pass(function);
  }

  /** A slot source that gives a free Regular slot only: what the byte-level forwarder may take without waiting. */
  WaitQueue.Slots<Grant> regularOf(String function) {
    return ahead -> {
      Route route = routing.current().route(function);
      Lease lease = route == null ? null : balancer.tryAcquire(route);
      return lease == null ? null : new Grant.Regular(lease);
    };
  }

  /**
   * One pass: the estimate is taken once, at the first waiter that needs it. Stale idle Emergency Instances found on
   * the way are deleted, and late-bound creations started, when the queue has let go of its lock ({@link #settle}).
   */
  private final class Pass implements WaitQueue.Slots<Grant> {
    private final String function;
    private final List<EmergencyInstance> stale = new ArrayList<>(0);
    private final List<Unbound> unbound = new ArrayList<>(0);
    private TrackChoice.@Nullable Estimate estimate;
    private @Nullable Boolean late; // asked once per pass: the metric filter's answer copies its ring
    private boolean laterMayDiffer;
    private int passedOver;

    Pass(String function) {
      this.function = function;
    }

    @Override
    public boolean laterMayDiffer() {
      return laterMayDiffer;
    }

    @Override
    public void settle() {
      stale.forEach(expedited::dispose);
      stale.clear();
      unbound.forEach(GrantSource.this::launch);
      unbound.clear();
    }

    @Override
    public @Nullable Grant tryAcquire(int ahead) {
      laterMayDiffer = false;
      RoutingTable table = routing.current();
      Route route = table.route(function);
      if (route == null) {
        return null;
      }
      Lease lease = balancer.tryAcquire(route);
      if (lease != null) {
        return new Grant.Regular(lease);
      }
      if (!route.policy().expedited()) {
        return null;
      }
      ExpeditedTrack.Warm warm = expedited.takeWarm(route);
      stale.addAll(warm.stale()); // deleted in settle, after the queue's lock
      EmergencyInstance idle = warm.instance();
      if (idle != null) {
        return new Grant.Warm(idle, warm.fresh());
      }
      if (route.policy() != ScalingPolicy.DUAL_TRACK) {
        Reservation reservation = expedited.reserve(table, route);
        return reservation == null ? null : new Grant.Fresh(function, reservation);
      }
      FunctionTimes times = tracks.times(function);
      if (late == null) {
        late = filter.counts(function, route.keepAliveSeconds());
      }
      // The head of a function with no Regular Instance waits for the scale from zero its wait asks for (unless the
      // function is rare): creations cover the waiters behind it.
      boolean fromZero = route.instances().isEmpty() && (late || !filter.rare(function, route.keepAliveSeconds()));
      int head = fromZero ? 1 : 0;
      // Read once: another event loop's admission may start a creation without this queue's lock (its fast path).
      int covering = late ? times.unbound() : 0;
      if (ahead >= head && ahead - head < covering) {
        laterMayDiffer = ++passedOver < MAX_PASSED_OVER; // a creation under way will serve this one
        return null;
      }
      TrackRule.Choice choice;
      if (ahead == 0 && fromZero) {
        choice = tracks.chooseCold(function, route.revision()); // its wait asks for a scale from zero
      } else {
        if (estimate == null) {
          estimate = tracks.estimate(function);
        }
        // Waiters covered by late-bound creations do not compete for the Regular slots.
        choice = tracks.choose(function, route.revision(), estimate, ahead - covering);
      }
      if (choice == TrackRule.Choice.WAIT) {
        // Further back, the wait is longer: the expedited track may pay off there.
        laterMayDiffer = ++passedOver < MAX_PASSED_OVER;
        return null;
      }
      if (choice == TrackRule.Choice.HOLD || !times.tryStartCreation(tracks.cap())) {
        return null;
      }
      if (late) {
        Reservation reservation = expedited.reserve(table, route);
        if (reservation == null) {
          times.creationEnded();
          return null;
        }
        times.startedUnbound();
        unbound.add(new Unbound(route, reservation, times)); // launched in settle, after the queue's lock
        laterMayDiffer = ++passedOver < MAX_PASSED_OVER;
        return null;
      }
      // The creation's place under the cap goes back, and a request held back may go, when the creation ends.
      Reservation reservation = expedited.reserve(table, route, CreationTicket.releasing(() -> {
        times.creationEnded();
        wake.accept(function);
      }));
      if (reservation == null) {
        times.creationEnded(); // never started: nothing to wake (and this pass holds the queue's lock)
        return null;
      }
      return new Grant.Fresh(function, reservation);
    }
  }

  /** A creation for whoever of the function waits first when it is ready. */
  private record Unbound(Route route, Reservation reservation, FunctionTimes times) {}

  /**
   * Starts a late-bound creation. Ready: the instance is offered to the function's waiters; failed: the waiters it
   * covered are no longer covered, and the wake-up lets them choose again (the worker that failed cools down, so a
   * failing spec does not spin; its Regular Instances still serve).
   */
  private void launch(Unbound creation) {
    Route route = creation.route();
    String function = route.function();
    expedited.launch(route, creation.reservation(), unboundTimeoutMillis).onComplete(ar -> {
      if (ar.succeeded() && ar.result() instanceof Launch.Launched launched) {
        EmergencyInstance instance = launched.instance();
        Reservation placed = creation.reservation();
        tracks.created(function, instance.revision(), placed.worker().id(), instance.creationMicros() * 1_000,
            placed.othersCreating());
        expedited.offer(instance, routing.current().route(function));
      } else if (ar.succeeded() && ar.result() instanceof Launch.Failed failed) {
        LOG.atWarn().setMessage("late-bound creation failed").addKeyValue("function", function)
            .addKeyValue("worker", failed.workerId()).addKeyValue("code", failed.code())
            .addKeyValue("detail", failed.detail()).log();
      }
      creation.times().unboundEnded();
      wake.accept(function);
    });
  }
}
