package io.pulse.dataplane;

import io.pulse.dataplane.failures.FailureNote;
import io.pulse.dataplane.failures.FailureNotes;
import io.pulse.dataplane.lb.Suspects;
import io.pulse.dataplane.proxy.Exchanged;
import io.pulse.dataplane.routing.Instance;
import io.pulse.dataplane.stats.LoadTracker;
import io.pulse.dataplane.stats.MetricFilter;
import io.pulse.dataplane.stats.RequestTicket;
import io.pulse.dataplane.tracks.FunctionTimes;
import io.pulse.dataplane.tracks.TrackChoice;

/**
 * The accounting of a request's exchanges, one piece for both forwarding paths (the Vert.x path, {@link Invocations},
 * and the byte-level one, {@link RawAdmissions}), so that they cannot drift: the metric filter's arrival and the
 * ticket, the usage, invocation metric and failure note of each exchange, and for a Regular slot the track times, the
 * suspect list, the lease's release and the ticket's move. Thread-safe, as everything it moves is.
 */
final class ExchangeAccounting {

  private final LoadTracker load;
  private final GatewayMetrics metrics;
  private final MetricFilter filter;
  private final FailureNotes notes;
  private final TrackChoice tracks;
  private final Suspects suspects;

  ExchangeAccounting(LoadTracker load, GatewayMetrics metrics, MetricFilter filter, FailureNotes notes,
      TrackChoice tracks, Suspects suspects) {
    this.load = load;
    this.metrics = metrics;
    this.filter = filter;
    this.notes = notes;
    this.tracks = tracks;
    this.suspects = suspects;
  }

  /** A request of {@code function} arrived: the metric filter sees it, and it gets its ticket. */
  RequestTicket arrived(String function) {
    filter.arrived(function);
    return load.ticket(function);
  }

  /**
   * A request the byte-level forwarder handed over after its instance refused the connection goes on with a ticket of
   * its own; its arrival was seen when the forwarder took it.
   */
  RequestTicket handedOver(String function) {
    return load.ticket(function);
  }

  /** An exchange with {@code instance} begins; tell the answer's {@link Exchange#ended} how it ended. */
  Exchange exchange(String function, Instance instance, long arrival) {
    load.usage().began(instance.id(), function);
    return new Exchange(function, instance, arrival);
  }

  /** A request takes a Regular slot; tell the answer's {@link RegularSlot#ended} how its exchange ended. */
  RegularSlot regular(String function, RequestTicket ticket, Grant.Regular grant) {
    int dispatch = ticket.dispatchedRegular();
    // The track choice sees how long this request has run while it holds the slot.
    FunctionTimes times = tracks.times(function);
    long began = tracks.now();
    return new RegularSlot(function, ticket, grant, dispatch, times, began, times.began(began));
  }

  /** One exchange with an instance: its usage, its invocation metric and the failure behind a 502/504 of ours. */
  final class Exchange {
    private final String function;
    private final Instance instance;
    private final long arrival;

    private Exchange(String function, Instance instance, long arrival) {
      this.function = function;
      this.instance = instance;
      this.arrival = arrival;
    }

    void ended(Exchanged exchanged) {
      load.usage().ended(instance.id());
      if (!exchanged.refused()) { // a refused exchange is not the request's end
        metrics.invocation(function, exchanged.status(), arrival);
      }
      Exchanged.Failure failure = exchanged.failure();
      if (failure != null) {
        notes.record(new FailureNote(failure.ref(), function, failure.stage(), instance.id(), instance.workerId(),
            "", failure.detail(), System.currentTimeMillis()));
      }
    }
  }

  /** A Regular slot held by one request for one exchange. */
  final class RegularSlot {
    private final String function;
    private final RequestTicket ticket;
    private final Grant.Regular grant;
    private final int dispatch;
    private final FunctionTimes times;
    private final long began;
    private final int cell;

    private RegularSlot(String function, RequestTicket ticket, Grant.Regular grant, int dispatch,
        FunctionTimes times, long began, int cell) {
      this.function = function;
      this.ticket = ticket;
      this.grant = grant;
      this.dispatch = dispatch;
      this.times = times;
      this.began = began;
      this.cell = cell;
    }

    Instance instance() {
      return grant.lease().instance();
    }

    /**
     * The exchange is over and the slot goes back. Answered (whatever the status): the request ended. Refused (the
     * instance could not be reached, nothing of the request went out): the instance is suspect, the dispatch is
     * released and counted as a retry, and the request goes on elsewhere; true then.
     */
    boolean ended(Exchanged exchanged) {
      times.ended(cell);
      boolean refused = exchanged.refused();
      if (refused) {
        suspects.refused(instance().id()); // before the release below wakes waiters, so that they avoid it
      } else {
        times.executed(tracks.now() - began);
      }
      grant.lease().release();
      if (refused) {
        ticket.released(dispatch);
        metrics.retried(function, GatewayMetrics.CONNECT_REFUSED);
      } else {
        ticket.ended();
      }
      return refused;
    }
  }
}
