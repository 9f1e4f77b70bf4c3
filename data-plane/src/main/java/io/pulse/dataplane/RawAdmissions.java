package io.pulse.dataplane;

import io.pulse.dataplane.async.AsyncTarget;
import io.pulse.dataplane.coldstart.WaitQueues;
import io.pulse.dataplane.failures.FailureNote;
import io.pulse.dataplane.failures.FailureNotes;
import io.pulse.dataplane.lb.Suspects;
import io.pulse.dataplane.proxy.Exchanged;
import io.pulse.dataplane.proxy.RawAdmission;
import io.pulse.dataplane.routing.Instance;
import io.pulse.dataplane.routing.RequestTarget;
import io.pulse.dataplane.routing.Route;
import io.pulse.dataplane.routing.RoutingState;
import io.pulse.dataplane.routing.RoutingTable;
import io.pulse.dataplane.stats.LoadTracker;
import io.pulse.dataplane.stats.MetricFilter;
import io.pulse.dataplane.stats.RequestTicket;
import io.pulse.dataplane.tracks.FunctionTimes;
import io.pulse.dataplane.tracks.TrackChoice;
import org.jspecify.annotations.Nullable;

/**
 * The byte-level forwarder's admission: the request must be one the Vert.x path ({@link Invocations}) would send
 * straight to a Regular slot (a routed function, synchronous, within the body limit) and such a slot must be free now
 * with nobody waiting ({@link io.pulse.dataplane.coldstart.WaitQueue#tryNow}); anything else is null, and the Vert.x
 * path serves the request from the start. A granted request is accounted exactly as that path accounts a Regular
 * exchange: the metric filter's arrival, the ticket, the track times, the usage, the invocation metric, the failure
 * note, the lease's release; a refused one (its instance unreachable) marks the instance suspect and ends its ticket,
 * for the Vert.x path to take the request anew.
 */
final class RawAdmissions implements RawAdmission {

  private final DataPlaneConfig config;
  private final RoutingState routing;
  private final WaitQueues<Grant> queues;
  private final GrantSource grants;
  private final LoadTracker load;
  private final GatewayMetrics metrics;
  private final MetricFilter filter;
  private final FailureNotes notes;
  private final TrackChoice tracks;
  private final Suspects suspects;

  RawAdmissions(DataPlaneConfig config, RoutingState routing, WaitQueues<Grant> queues,
      GrantSource grants, LoadTracker load, GatewayMetrics metrics, MetricFilter filter, FailureNotes notes,
      TrackChoice tracks, Suspects suspects) {
    this.config = config;
    this.routing = routing;
    this.queues = queues;
    this.grants = grants;
    this.load = load;
    this.metrics = metrics;
    this.filter = filter;
    this.notes = notes;
    this.tracks = tracks;
    this.suspects = suspects;
  }

  @Override
  public @Nullable Granted admit(String method, String host, String target, long contentLength) {
    long arrival = System.nanoTime();
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    if (AsyncTarget.wanted(host, path, config.domain(), null) || contentLength > config.maxRequestBodyBytes()) {
      return null;
    }
    RequestTarget resolved = RequestTarget.resolve(host, path, q < 0 ? null : target.substring(q + 1),
        config.domain());
    RoutingTable table = routing.current();
    Route route = resolved == null || !table.loaded() ? null : table.route(resolved.function());
    if (route == null) {
      return null;
    }
    String function = route.function();
    if (!(queues.queue(function).tryNow(grants.regularOf(function)) instanceof Grant.Regular regular)) {
      return null;
    }
    filter.arrived(function);
    metrics.rawExchange();
    RequestTicket ticket = load.ticket(function);
    int dispatch = ticket.dispatchedRegular();
    FunctionTimes times = tracks.times(function);
    long began = tracks.now();
    int cell = times.began(began);
    Instance instance = regular.lease().instance();
    long timeoutMillis = 1000L * route.timeoutSeconds();
    load.usage().began(instance.id(), function);
    return new Granted(function, instance, resolved.uri(), timeoutMillis, exchanged -> {
      load.usage().ended(instance.id());
      if (!exchanged.refused()) {
        metrics.invocation(function, exchanged.status(), arrival);
      }
      Exchanged.Failure failure = exchanged.failure();
      if (failure != null) {
        notes.record(new FailureNote(failure.ref(), function, failure.stage(), instance.id(), instance.workerId(),
            "", failure.detail(), System.currentTimeMillis()));
      }
      times.ended(cell);
      if (exchanged.refused()) {
        suspects.refused(instance.id()); // before the release wakes waiters, so that they avoid it
      } else {
        times.executed(tracks.now() - began);
      }
      regular.lease().release();
      if (exchanged.refused()) {
        ticket.released(dispatch);
        ticket.ended(); // the Vert.x path takes the request with a ticket of its own
        metrics.retried(function, GatewayMetrics.CONNECT_REFUSED);
      } else {
        ticket.ended();
      }
    });
  }
}
