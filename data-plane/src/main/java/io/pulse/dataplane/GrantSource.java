package io.pulse.dataplane;

import io.pulse.dataplane.coldstart.WaitQueue;
import io.pulse.dataplane.expedited.CreationTicket;
import io.pulse.dataplane.expedited.EmergencyInstance;
import io.pulse.dataplane.expedited.ExpeditedTrack;
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

/**
 * The slot source of the wait queues: a free slot on a Regular Instance; else, when the function's policy allows the
 * expedited track, an idle kept-alive Emergency Instance or headroom for a new one; else nothing (wait). For
 * dual-track functions the expedited track is taken only when the {@link TrackChoice} says it is faster than
 * waiting for a Regular slot and the function's creations in flight are under the cap; the first waiting request of a
 * dual-track function with no Regular Instance waits for the scale from zero its wait asks for, unless the metric
 * filter knows the function to be rare (its Regular Instance would expire unused: PulseNet's Emergency-only case).
 */
final class GrantSource {

  /** Waiters passed over in one pass before the rest of the queue is left to the next one. */
  private static final int MAX_PASSED_OVER = 64;

  private final RoutingState routing;
  private final Balancer balancer;
  private final ExpeditedTrack expedited;
  private final TrackChoice tracks;
  private final MetricFilter filter;
  private final Consumer<String> wake;

  /** {@code wake}: wakes a function's wait queue (never called under a queue's lock). */
  GrantSource(RoutingState routing, Balancer balancer, ExpeditedTrack expedited, TrackChoice tracks,
      MetricFilter filter, Consumer<String> wake) {
    this.routing = routing;
    this.balancer = balancer;
    this.expedited = expedited;
    this.tracks = tracks;
    this.filter = filter;
    this.wake = wake;
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
   * the way are deleted when the queue has let go of its lock ({@link #settle}).
   */
  private final class Pass implements WaitQueue.Slots<Grant> {
    private final String function;
    private final List<EmergencyInstance> stale = new ArrayList<>(0);
    private TrackChoice.@Nullable Estimate estimate;
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
        return new Grant.Warm(idle);
      }
      if (route.policy() != ScalingPolicy.DUAL_TRACK) {
        Reservation reservation = expedited.reserve(table, route);
        return reservation == null ? null : new Grant.Fresh(function, reservation);
      }
      TrackRule.Choice choice;
      if (ahead == 0 && route.instances().isEmpty() && !filter.rare(function, route.keepAliveSeconds())) {
        choice = tracks.chooseCold(function, route.revision()); // its wait asks for a scale from zero
      } else {
        if (estimate == null) {
          estimate = tracks.estimate(function);
        }
        choice = tracks.choose(function, route.revision(), estimate, ahead);
      }
      if (choice == TrackRule.Choice.WAIT) {
        // Further back, the wait is longer: the expedited track may pay off there.
        laterMayDiffer = ++passedOver < MAX_PASSED_OVER;
        return null;
      }
      FunctionTimes times = tracks.times(function);
      if (choice == TrackRule.Choice.HOLD || !times.tryStartCreation(tracks.cap())) {
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
}
