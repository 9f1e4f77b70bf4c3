package io.pulse.dataplane.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.dataplane.stats.LoadTracker.Counts;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Each path a request takes through the gateway, as ticket events: what the counters read on the way and after. */
class RequestTicketTest {

  private final AtomicLong now = new AtomicLong();
  private final LoadTracker tracker = new LoadTracker(now::get);
  private final RequestTicket ticket = tracker.ticket("f");

  @Test
  void warm_regularSlotAtOnce_inFlightThenZero_oneArrival() {
    ticket.dispatchedRegular();
    assertThat(tracker.counts("f")).isEqualTo(new Counts(1, 0, 0));
    ticket.ended();
    ticket.ended(); // a double completion moves nothing

    assertThat(tracker.counts("f")).isEqualTo(Counts.ZERO);
    assertThat(sample()).extracting(FunctionLoadSample::arrivals).isEqualTo(1L);
  }

  @Test
  void queuedThenDispatched_movesFromQueueToInFlightInOneStep() {
    ticket.queued();
    assertThat(tracker.counts("f")).isEqualTo(new Counts(0, 1, 0));
    ticket.dispatchedRegular();
    assertThat(tracker.counts("f")).isEqualTo(new Counts(1, 0, 0));
    ticket.ended();

    assertThat(tracker.counts("f")).isEqualTo(Counts.ZERO);
    assertThat(sample().arrivals()).isEqualTo(1);
  }

  @Test
  void expedited_countedByTheFilter_isInFlightAndOnAnEmergencyInstance() {
    ticket.queued();
    ticket.dispatchedExpedited(true);
    assertThat(tracker.counts("f")).isEqualTo(new Counts(1, 0, 1));
    ticket.ended();

    assertThat(tracker.counts("f")).isEqualTo(Counts.ZERO);
    FunctionLoadSample sample = sample();
    assertThat(sample.expedited()).isEqualTo(1);
    assertThat(sample.expeditedCounted()).isEqualTo(1);
    assertThat(sample.arrivals()).isEqualTo(1);
  }

  @Test
  void expedited_leftOutByTheFilter_isNoArrivalNorInFlight() {
    ticket.dispatchedExpedited(false);
    assertThat(tracker.counts("f")).isEqualTo(new Counts(0, 0, 1));
    ticket.ended();

    assertThat(tracker.counts("f")).isEqualTo(Counts.ZERO);
    FunctionLoadSample sample = sample();
    assertThat(sample.expedited()).isEqualTo(1);
    assertThat(sample.expeditedCounted()).isZero();
    assertThat(sample.arrivals()).isZero();
  }

  @Test
  void creationFailed_thenRetriedThroughTheQueue_countsOneArrival_andALateReleaseMovesNothing() {
    int first = ticket.dispatchedExpedited(true);
    ticket.released(first);
    assertThat(tracker.counts("f")).isEqualTo(Counts.ZERO);
    ticket.queued();
    ticket.dispatchedRegular();
    ticket.released(first); // the earlier dispatch's end, reported late: not this dispatch's
    assertThat(tracker.counts("f")).isEqualTo(new Counts(1, 0, 0));
    ticket.ended();

    assertThat(tracker.counts("f")).isEqualTo(Counts.ZERO);
    assertThat(sample().arrivals()).isEqualTo(1);
  }

  @Test
  void replayOnConnectRefusal_rerouted_countsOneArrival() {
    ticket.released(ticket.dispatchedRegular());
    ticket.dispatchedRegular();
    assertThat(tracker.counts("f")).isEqualTo(new Counts(1, 0, 0));
    ticket.ended();

    assertThat(tracker.counts("f")).isEqualTo(Counts.ZERO);
    assertThat(sample().arrivals()).isEqualTo(1);
  }

  @Test
  void queueTimeoutOrClientGone_whileQueued_leavesTheQueue_andNothingAfterMovesTheCounters() {
    ticket.queued();
    ticket.ended();
    ticket.dispatchedRegular(); // a grant racing with the end: the request is over

    assertThat(tracker.counts("f")).isEqualTo(Counts.ZERO);
    assertThat(ticket.state().ended()).isTrue();
  }

  @Test
  void queueFull_isAnArrivalThatHoldsNothing() {
    ticket.rejected();

    assertThat(tracker.counts("f")).isEqualTo(Counts.ZERO);
    assertThat(sample().arrivals()).isEqualTo(1);
  }

  private FunctionLoadSample sample() {
    now.addAndGet(1_000);
    return tracker.closeInterval().getFirst();
  }
}
