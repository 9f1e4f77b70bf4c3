package io.pulse.dataplane.stats;

/**
 * What one request holds in its function's load counters, and the pure rule of how each of its events moves them.
 * Every count the request adds is taken back exactly once: events that do not fit the state (a second end, a release
 * of an earlier dispatch, a dispatch after the end) move nothing, so a path that reports twice cannot skew the load.
 *
 * @param arrived counted as an arrival (once per request, whatever it retries)
 * @param place where it is counted: nowhere, in the queue, in flight, or dispatched uncounted (an expedited request
 *     the metric filter leaves out)
 * @param emergency served by an Emergency Instance now
 * @param dispatch how many times it was dispatched; a release names the dispatch it ends
 * @param ended answered or given up: final
 */
record TicketState(boolean arrived, Place place, boolean emergency, int dispatch, boolean ended) {

  /** Where a request is counted. */
  public enum Place { NONE, QUEUED, IN_FLIGHT, UNCOUNTED }

  /** Something that happened to the request. */
  public sealed interface Event {
    /** Parked in the wait queue. */
    record Queued() implements Event {}

    /** Sent to an instance: a Regular slot ({@code emergency} false, always counted) or the expedited track. */
    record Dispatched(boolean emergency, boolean counted) implements Event {}

    /** Dispatch number {@code dispatch} is over and the request goes on (rerouted, or a creation to retry). */
    record Released(int dispatch) implements Event {}

    /** Turned away at once (queue full): an arrival all the same. */
    record Rejected() implements Event {}

    /** Answered, or given up (deadline, client gone, function removed): everything held is given back. */
    record Ended() implements Event {}
  }

  /**
   * How the counters move: arrivals, in flight, queued, requests on Emergency Instances, and the expedited counter
   * ({@code expedited}/{@code expeditedCounted}: one request took that track, counted by the metric filter or not).
   */
  public record Moves(int arrivals, int inFlight, int queued, int emergency, boolean expedited,
      boolean expeditedCounted) {
    public static final Moves NONE = new Moves(0, 0, 0, 0, false, false);

    /** Whether nothing moves; by fields (a record's {@code equals} costs more on every request's path). */
    public boolean none() {
      return arrivals == 0 && inFlight == 0 && queued == 0 && emergency == 0 && !expedited && !expeditedCounted;
    }
  }

  /** The new state and the counter moves of one event. */
  public record Step(TicketState state, Moves moves) {}

  static final TicketState NEW = new TicketState(false, Place.NONE, false, 0, false);

  /** The pure transition: what {@code event} does to a request in this state. */
  Step on(Event event) {
    if (ended) {
      return unchanged();
    }
    return switch (event) {
      case Event.Queued q -> place != Place.NONE ? unchanged()
          : new Step(new TicketState(true, Place.QUEUED, false, dispatch, false),
              new Moves(arrived ? 0 : 1, 0, 1, 0, false, false));
      case Event.Dispatched d -> dispatched(d);
      case Event.Released r -> r.dispatch() != dispatch || !(place == Place.IN_FLIGHT || place == Place.UNCOUNTED)
          ? unchanged()
          : new Step(new TicketState(arrived, Place.NONE, false, dispatch, false), giveBack());
      case Event.Rejected r -> place != Place.NONE ? unchanged()
          : new Step(new TicketState(true, Place.NONE, false, dispatch, true),
              new Moves(arrived ? 0 : 1, 0, 0, 0, false, false));
      case Event.Ended e -> new Step(new TicketState(arrived, Place.NONE, false, dispatch, true), giveBack());
    };
  }

  /** Whether the request holds anything in the counters. */
  boolean holds() {
    return place != Place.NONE || emergency;
  }

  private Step dispatched(Event.Dispatched d) {
    if (place != Place.NONE && place != Place.QUEUED) {
      return unchanged();
    }
    int queued = place == Place.QUEUED ? -1 : 0;
    boolean counted = d.counted() || !d.emergency();
    // An uncounted expedited request that never queued is no arrival for scaling: the metric filter left it out.
    boolean arrives = counted && !arrived;
    TicketState next = new TicketState(arrived || arrives, counted ? Place.IN_FLIGHT : Place.UNCOUNTED,
        d.emergency(), dispatch + 1, false);
    return new Step(next, new Moves(arrives ? 1 : 0, counted ? 1 : 0, queued, d.emergency() ? 1 : 0,
        d.emergency(), d.emergency() && counted));
  }

  private Moves giveBack() {
    return new Moves(0, place == Place.IN_FLIGHT ? -1 : 0, place == Place.QUEUED ? -1 : 0, emergency ? -1 : 0,
        false, false);
  }

  private Step unchanged() {
    return new Step(this, Moves.NONE);
  }
}
