package io.pulse.dataplane.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random interleavings of many requests' ticket events, in any order and repeated (double completions, late releases
 * of an earlier dispatch, events after the end): the function's counters are never negative after any step, each
 * request counts as at most one arrival, and once every request has ended every counter is back at zero.
 */
class RequestTicketPropertiesTest {

  enum Kind { QUEUED, REGULAR, EXPEDITED_COUNTED, EXPEDITED_UNCOUNTED, RELEASE_LAST, RELEASE_EARLIER, REJECTED, ENDED }

  record Op(Kind kind, int request) {}

  @Provide
  Arbitrary<List<Op>> histories() {
    Arbitrary<Op> op = Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 7))
        .as(Op::new);
    return op.list().ofMaxSize(200);
  }

  @Property(tries = 500)
  void countersNeverNegative_andZeroOnceEveryRequestEnded(@ForAll("histories") List<Op> history) {
    AtomicLong clock = new AtomicLong();
    LoadTracker tracker = new LoadTracker(clock::get);
    List<RequestTicket> tickets = new ArrayList<>();
    List<Integer> lastDispatch = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      tickets.add(tracker.ticket("f"));
      lastDispatch.add(0);
    }
    long arrivals = 0;
    for (Op op : history) {
      RequestTicket ticket = tickets.get(op.request());
      switch (op.kind()) {
        case QUEUED -> ticket.queued();
        case REGULAR -> lastDispatch.set(op.request(), ticket.dispatchedRegular());
        case EXPEDITED_COUNTED -> lastDispatch.set(op.request(), ticket.dispatchedExpedited(true));
        case EXPEDITED_UNCOUNTED -> lastDispatch.set(op.request(), ticket.dispatchedExpedited(false));
        case RELEASE_LAST -> ticket.released(lastDispatch.get(op.request()));
        case RELEASE_EARLIER -> ticket.released(lastDispatch.get(op.request()) - 1);
        case REJECTED -> ticket.rejected();
        case ENDED -> ticket.ended();
      }
      clock.addAndGet(1_000);
      assertNeverNegative(tracker.counts("f"));
      arrivals += sampleArrivals(tracker);
      assertThat(arrivals).isLessThanOrEqualTo(tickets.size());
    }
    tickets.forEach(RequestTicket::ended);
    tickets.forEach(RequestTicket::ended); // a double completion moves nothing
    assertThat(tracker.counts("f")).isEqualTo(LoadTracker.Counts.ZERO);
    assertThat(tracker.level("f")).isZero();
    arrivals += sampleArrivals(tracker);
    assertThat(arrivals).isLessThanOrEqualTo(tickets.size());
    tickets.forEach(t -> assertThat(t.state().holds()).isFalse());
  }

  @Property(tries = 500)
  void aStepMovesOnlyWhatTheStateHolds(@ForAll("histories") List<Op> history) {
    // The pure rule alone: summing every step's moves per request never goes below zero, and ends at zero.
    for (int request = 0; request < 8; request++) {
      TicketState state = TicketState.NEW;
      int inFlight = 0;
      int queued = 0;
      int emergency = 0;
      int arrivals = 0;
      for (Op op : history) {
        if (op.request() != request) {
          continue;
        }
        TicketState.Step step = state.on(event(op.kind(), state));
        state = step.state();
        inFlight += step.moves().inFlight();
        queued += step.moves().queued();
        emergency += step.moves().emergency();
        arrivals += step.moves().arrivals();
        assertThat(inFlight).isBetween(0, 1);
        assertThat(queued).isBetween(0, 1);
        assertThat(emergency).isBetween(0, 1);
        assertThat(inFlight + queued).isLessThanOrEqualTo(1);
        assertThat(arrivals).isBetween(0, 1);
      }
      TicketState.Moves last = state.on(new TicketState.Event.Ended()).moves();
      assertThat(inFlight + last.inFlight()).isZero();
      assertThat(queued + last.queued()).isZero();
      assertThat(emergency + last.emergency()).isZero();
    }
  }

  private static TicketState.Event event(Kind kind, TicketState state) {
    return switch (kind) {
      case QUEUED -> new TicketState.Event.Queued();
      case REGULAR -> new TicketState.Event.Dispatched(false, true);
      case EXPEDITED_COUNTED -> new TicketState.Event.Dispatched(true, true);
      case EXPEDITED_UNCOUNTED -> new TicketState.Event.Dispatched(true, false);
      case RELEASE_LAST -> new TicketState.Event.Released(state.dispatch());
      case RELEASE_EARLIER -> new TicketState.Event.Released(state.dispatch() - 1);
      case REJECTED -> new TicketState.Event.Rejected();
      case ENDED -> new TicketState.Event.Ended();
    };
  }

  private static void assertNeverNegative(LoadTracker.Counts counts) {
    assertThat(counts.inFlight()).isNotNegative();
    assertThat(counts.queued()).isNotNegative();
    assertThat(counts.emergency()).isNotNegative();
  }

  private static long sampleArrivals(LoadTracker tracker) {
    return tracker.closeInterval().stream().mapToLong(FunctionLoadSample::arrivals).sum();
  }
}
