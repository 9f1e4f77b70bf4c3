package io.pulse.dataplane.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A story in time: requests come and go on a manual clock, and each closed interval has the right numbers. */
class LoadTrackerTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final LoadTracker tracker = new LoadTracker(now::get);

  private void advanceMillis(long millis) {
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  @Test
  void closeInterval_timeWeightedAverageOfInFlightPlusQueued() {
    RequestTicket first = tracker.ticket("f");
    first.dispatchedRegular();             // t=0: level 1
    advanceMillis(250);
    RequestTicket second = tracker.ticket("f");
    second.queued();                       // t=250: level 2
    advanceMillis(250);
    second.dispatchedRegular();            // t=500: still 2
    advanceMillis(250);
    first.ended();
    second.ended();                        // t=750: level 0
    advanceMillis(250);                    // t=1000

    List<FunctionLoadSample> samples = tracker.closeInterval();
    // (1*250 + 2*250 + 2*250 + 0*250) / 1000 = 1.25
    assertThat(samples).singleElement().satisfies(s -> {
      assertThat(s.function()).isEqualTo("f");
      assertThat(s.averageConcurrency()).isCloseTo(1.25, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(s.inFlight()).isZero();
      assertThat(s.queued()).isZero();
      assertThat(s.arrivals()).isEqualTo(2);
    });
  }

  @Test
  void closeInterval_constantLoadAveragesToItselfAndArrivalsReset() {
    tracker.ticket("f").dispatchedRegular();
    tracker.ticket("f").dispatchedRegular();
    advanceMillis(100);
    tracker.closeInterval();
    advanceMillis(1000);
    assertThat(tracker.closeInterval()).containsExactly(new FunctionLoadSample("f", 2.0, 2, 0, 0));
  }

  @Test
  void closeInterval_leavesOutIdleFunctions() {
    RequestTicket ticket = tracker.ticket("busy");
    ticket.dispatchedRegular();
    ticket.ended();
    advanceMillis(10);
    assertThat(tracker.closeInterval()).extracting(FunctionLoadSample::function).containsExactly("busy");
    advanceMillis(10);
    assertThat(tracker.closeInterval()).isEmpty();
  }

  @Test
  void closeInterval_functionFirstSeenMidIntervalAveragesOverTheWholeInterval() {
    advanceMillis(500);
    tracker.ticket("late").queued();
    advanceMillis(500);
    FunctionLoadSample sample = tracker.closeInterval().getFirst();
    assertThat(sample.averageConcurrency()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(sample.queued()).isEqualTo(1);
  }
}
