package io.pulse.dataplane.stats;

import io.pulse.dataplane.stats.TicketState.Event;

/**
 * One request's hold on its function's load counters: every path of the request (warm, queued, expedited, retried,
 * rerouted, timed out, abandoned) reports its events here, and {@link TicketState} alone decides how the counters
 * move, so each count the request adds is taken back exactly once. Thread-safe: the events of one request may come
 * from its event loop and from a timer or a worker's answer.
 */
public final class RequestTicket {

  // The events without a varying part, made once: a request reports two or three of them.
  private static final Event QUEUED = new Event.Queued();
  private static final Event REGULAR = new Event.Dispatched(false, true);
  private static final Event REJECTED = new Event.Rejected();
  private static final Event ENDED = new Event.Ended();

  private final LoadAccumulator counters;
  private TicketState state = TicketState.NEW; // guarded by this

  RequestTicket(LoadAccumulator counters) {
    this.counters = counters;
  }

  /** Parked in the wait queue. */
  public void queued() {
    on(QUEUED);
  }

  /** Sent to a Regular slot; answers the dispatch's number, for {@link #released}. */
  public int dispatchedRegular() {
    return on(REGULAR).dispatch();
  }

  /** Sent down the expedited track; {@code counted}: the metric filter counts it toward scaling. */
  public int dispatchedExpedited(boolean counted) {
    return on(new Event.Dispatched(true, counted)).dispatch();
  }

  /** The dispatch is over but the request goes on (another instance, another creation, or the queue). */
  public void released(int dispatch) {
    on(new Event.Released(dispatch));
  }

  /** Turned away at once: the queue was full. */
  public void rejected() {
    on(REJECTED);
  }

  /** Answered or given up. Idempotent. */
  public void ended() {
    on(ENDED);
  }

  /** The state now (tests, diagnostics). */
  synchronized TicketState state() {
    return state;
  }

  // The moves are applied under this monitor (no I/O, the accumulator's own monitor is short) so that two events of
  // one request never reach the counters in the other order.
  private synchronized TicketState on(Event event) {
    TicketState.Step step = state.on(event);
    state = step.state();
    if (!step.moves().none()) {
      counters.apply(step.moves());
    }
    return state;
  }
}
