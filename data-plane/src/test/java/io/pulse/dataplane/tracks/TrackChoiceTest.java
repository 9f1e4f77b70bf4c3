package io.pulse.dataplane.tracks;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.dataplane.tracks.TrackRule.Choice;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Stories in time, as KpaTest: requests begin and end on a manual clock, creations are measured, and the choice for
 * a request that finds no free Regular slot is asked at given moments.
 */
class TrackChoiceTest {

  private static final long MS = 1_000_000;

  private final AtomicLong clock = new AtomicLong(1_000 * MS);
  private double headroom = 1.0;
  private long poolClaim = -1;
  private final TrackChoice tracks = new TrackChoice(
      new TrackRule.Settings(0.25, 5 * MS, 1, 4, 150 * MS, 8, 0.9, 4, 2), clock::get, new CreationTimes(),
      () -> headroom, (function, revision) -> poolClaim);

  private void advance(long ms) {
    clock.addAndGet(ms * MS);
  }

  /** {@code count} requests of {@code ms} each, run one after another on one slot, to teach the execution times. */
  private void executed(String function, int count, long ms) {
    FunctionTimes times = tracks.times(function);
    for (int i = 0; i < count; i++) {
      int cell = times.began(clock.get());
      advance(ms);
      times.ended(cell);
      times.executed(ms * MS);
    }
  }

  /**
   * "fn" ran 20 requests of {@code runMs}, one creation took {@code creationMs}, and one request has held its only
   * slot for {@code elapsedMs}.
   */
  private void oneSlotBusy(long runMs, long creationMs, long elapsedMs) {
    executed("fn", 20, runMs);
    tracks.created("fn", 1, "w1", creationMs * MS, 0);
    tracks.times("fn").began(clock.get());
    advance(elapsedMs);
  }

  private Choice choose(String function, int ahead) {
    return tracks.choose(function, 1, tracks.estimate(function), ahead);
  }

  @Test
  void meanExecutionMicros_isTheMeanOfTheLastCalls_andZeroForAFunctionNeverRun() {
    assertThat(tracks.meanExecutionMicros("never")).isZero();
    executed("fn", 2, 10);
    executed("fn", 2, 30);
    assertThat(tracks.meanExecutionMicros("fn")).isEqualTo(20_000);
    executed("fn", FunctionTimes.SAMPLES, 50); // the ring keeps the last calls only
    assertThat(tracks.meanExecutionMicros("fn")).isEqualTo(50_000);
  }

  @Test
  void shortFunction_busySlot_waitsForIt_ratherThanCreating() {
    oneSlotBusy(50, 120, 30);

    // About 20 ms left on the slot against a 120 ms creation.
    assertThat(choose("fn", 0)).isEqualTo(Choice.WAIT);
  }

  @Test
  void creationsUnderWayOnTheWorker_thatSlowEachOther_makeWaitingTheFasterTrack() {
    Map<String, Integer> creating = new HashMap<>();
    TrackChoice busy = new TrackChoice(new TrackRule.Settings(0.25, 5 * MS, 1, 8, 150 * MS, 8, 0.9, 4, 2), clock::get,
        new CreationTimes(worker -> creating.getOrDefault(worker, 0), creating::keySet), () -> 1.0, PoolHits.NONE);
    FunctionTimes times = busy.times("fn");
    for (int i = 0; i < 20; i++) {
      times.executed(400 * MS);
    }
    busy.created("fn", 1, "w1", 150 * MS, 0);
    busy.created("fn", 1, "w1", 450 * MS, 2); // each other creation under way added one alone time
    times.began(clock.get());
    advance(100); // about 300 ms left on the only slot

    assertThat(busy.choose("fn", 1, busy.estimate("fn"), 0)).as("nothing else being created: 150 ms")
        .isEqualTo(Choice.EXPEDITE);
    creating.put("w1", 2);
    assertThat(busy.choose("fn", 1, busy.estimate("fn"), 0)).as("beside two others: 450 ms")
        .isEqualTo(Choice.WAIT);
    assertThat(busy.choose("fn", 1, busy.estimate("fn"), 3)).as("further back, and the worker crowded: creating"
        + " would slow the two under way for nothing").isEqualTo(Choice.HOLD);
    creating.put("w1", 1);
    assertThat(busy.choose("fn", 1, busy.estimate("fn"), 3)).as("one under way: twice the alone time")
        .isEqualTo(Choice.EXPEDITE);
  }

  @Test
  void longFunction_justStarted_createsAnEmergencyInstance() {
    oneSlotBusy(1_000, 120, 10);

    assertThat(choose("fn", 0)).isEqualTo(Choice.EXPEDITE);
  }

  @Test
  void theFurtherBackInTheQueue_theLongerTheWait_untilCreatingPaysOff() {
    executed("fn", 20, 100);
    tracks.created("fn", 1, "w1", 120 * MS, 0);
    FunctionTimes times = tracks.times("fn");
    times.began(clock.get());
    advance(60);
    times.began(clock.get()); // two slots: about 40 and 100 ms left

    assertThat(choose("fn", 0)).isEqualTo(Choice.WAIT);
    assertThat(choose("fn", 1)).isEqualTo(Choice.WAIT);
    // Third in line: a slot after a full further run (about 140 ms), within 120 * 1.25 + 5.
    assertThat(choose("fn", 2)).isEqualTo(Choice.WAIT);
    // Fourth: about 200 ms.
    assertThat(choose("fn", 3)).isEqualTo(Choice.EXPEDITE);
  }

  @Test
  void aRequestThatOverstaysTheDistribution_makesTheWaitGrow_andTheChoiceFlips() {
    oneSlotBusy(50, 120, 40);
    assertThat(choose("fn", 0)).isEqualTo(Choice.WAIT);

    advance(160); // 200 ms in: it outlived every run seen, so it is expected to run about as long again
    assertThat(choose("fn", 0)).isEqualTo(Choice.EXPEDITE);
  }

  @Test
  void noInstanceOrNoHistory_expedites_likePulseNet() {
    assertThat(choose("cold", 0)).as("nothing in flight").isEqualTo(Choice.EXPEDITE);

    tracks.times("new").began(clock.get());
    assertThat(choose("new", 0)).as("no execution time seen yet").isEqualTo(Choice.EXPEDITE);
  }

  @Test
  void aFunctionSeenRunningOnlyAFewTimes_isWaitedFor_onlyWhenEvenAStretchedRunIsShort() {
    tracks.created("fn", 1, "w1", 120 * MS, 0);
    executed("fn", 2, 10); // 2 runs of 10 ms: a run is bounded by 10 x 8 / 2 = 40 ms
    tracks.times("fn").began(clock.get());
    advance(5);
    assertThat(choose("fn", 0)).as("2 runs of 10 ms seen, 35 ms left at most").isEqualTo(Choice.WAIT);

    tracks.created("slow", 1, "w1", 120 * MS, 0);
    executed("slow", 2, 50); // bounded by 200 ms: more than a creation, 155 ms with the margin
    tracks.times("slow").began(clock.get());
    advance(5);
    assertThat(choose("slow", 0)).as("2 runs of 50 ms seen").isEqualTo(Choice.EXPEDITE);

    tracks.created("steady", 1, "w1", 120 * MS, 0);
    executed("steady", 8, 50); // 8 runs: the distribution itself, 45 ms left
    tracks.times("steady").began(clock.get());
    advance(5);
    assertThat(choose("steady", 0)).as("8 runs of 50 ms seen").isEqualTo(Choice.WAIT);
  }

  @Test
  void aFunctionWithARareLongRun_expedites_whereTheMeanWouldWait() {
    // 17 runs of 50 ms and 3 of a second: 10 ms into a run the mean says 182 ms left, the tail a second.
    executed("fn", 17, 50);
    executed("fn", 3, 1_000);
    tracks.created("fn", 1, "w1", 150 * MS, 0);
    tracks.times("fn").began(clock.get());
    advance(10);

    assertThat(choose("fn", 0)).isEqualTo(Choice.EXPEDITE);
    // 60 ms in, the short runs are behind it: it is one of the long ones, with 940 ms left.
    advance(50);
    assertThat(choose("fn", 0)).isEqualTo(Choice.EXPEDITE);
  }

  @Test
  void aBusyMachine_slowCreations_tipTheChoiceToWaiting() {
    executed("fn", 20, 400);
    FunctionTimes times = tracks.times("fn");
    tracks.created("fn", 1, "w1", 100 * MS, 0);
    times.began(clock.get());
    advance(100); // about 300 ms left
    assertThat(choose("fn", 0)).isEqualTo(Choice.EXPEDITE);

    // Another process takes the CPU: creations on both workers slow down, and the average follows.
    for (int i = 0; i < 5; i++) {
      tracks.created("fn", 1, "w1", 500 * MS, 0);
      tracks.created("fn", 1, "w2", 500 * MS, 0);
    }
    assertThat(tracks.creationNanos("fn", 1)).isBetween(400 * MS, 500 * MS);
    assertThat(choose("fn", 0)).isEqualTo(Choice.WAIT);
  }

  @Test
  void creationTimes_arePerRevision_aNewRevisionStartsFromWhatTheDataPlaneSawOverall() {
    tracks.created("fn", 1, "w1", 100 * MS, 0);
    tracks.created("fn", 1, "w2", 300 * MS, 0);
    assertThat(tracks.creationNanos("fn", 1)).isEqualTo(200 * MS);

    tracks.created("fn", 2, "w1", 50 * MS, 0);
    assertThat(tracks.creationNanos("fn", 2)).isEqualTo(50 * MS);
    // A function never created here: the moving average over every creation (100, 300, 50 ms).
    assertThat(tracks.creationNanos("other", 1)).isEqualTo(127 * MS);
    // Before any creation at all: the prior.
    assertThat(new TrackChoice(TrackRule.Settings.DEFAULT, clock::get, new CreationTimes(), () -> 1, PoolHits.NONE)
        .creationNanos("fn", 1)).isEqualTo(TrackRule.Settings.DEFAULT.priorCreationNanos());
  }

  @Test
  void aLikelyPoolHit_replacesTheCreationTime() {
    oneSlotBusy(100, 150, 50); // about 50 ms left: waiting beats a 150 ms creation

    assertThat(choose("fn", 0)).isEqualTo(Choice.WAIT);
    poolClaim = 10 * MS; // a pre-created sandbox only needs starting
    assertThat(choose("fn", 0)).isEqualTo(Choice.EXPEDITE);
  }

  @Test
  void creationsInFlight_areCappedByCpuHeadroom() {
    FunctionTimes times = tracks.times("fn");
    assertThat(tracks.cap()).isEqualTo(4);
    headroom = 0.5;
    assertThat(tracks.cap()).isEqualTo(2);

    assertThat(times.tryStartCreation(tracks.cap())).isTrue();
    assertThat(times.tryStartCreation(tracks.cap())).isTrue();
    assertThat(times.tryStartCreation(tracks.cap())).isFalse();
    assertThat(choose("fn", 0)).isEqualTo(Choice.HOLD);

    times.creationEnded();
    assertThat(choose("fn", 0)).isEqualTo(Choice.EXPEDITE);
    headroom = 0.0; // the CPU is saturated: one creation at a time
    assertThat(choose("fn", 0)).isEqualTo(Choice.HOLD);
  }

  @Test
  void functionsToldToWait_areListedOnceForAnotherLook() {
    oneSlotBusy(50, 120, 0);
    choose("fn", 0);
    choose("fn", 0);

    List<String> seen = new ArrayList<>();
    tracks.forEachWaiting(seen::add);
    assertThat(seen).containsExactly("fn");
    seen.clear();
    tracks.forEachWaiting(seen::add);
    assertThat(seen).isEmpty();
  }

  /**
   * The recheck timer wakes each waiting function's queue, whose pass asks the choice again and so marks the function
   * waiting again. Iterating the live set, a function re-added behind the cursor came round again, forever while two
   * functions shared a hash bin: an event loop spun for 6 s in a trace replay, long enough for its worker to be
   * declared dead. One pass now wakes each function once.
   */
  @Test
  void functionsStillWaiting_areWokenOncePerPass_andListedAgainForTheNext() {
    List<String> functions = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      functions.add("f" + i);
      assertThat(tracks.chooseCold("f" + i, 1)).isEqualTo(Choice.WAIT); // scale from zero under way
    }
    Map<String, Integer> woken = new HashMap<>();
    tracks.forEachWaiting(function -> {
      int times = woken.merge(function, 1, Integer::sum);
      if (times > 3) {
        throw new IllegalStateException(function + " woken " + times + " times in one pass");
      }
      assertThat(tracks.chooseCold(function, 1)).isEqualTo(Choice.WAIT); // its queue's pass: still waiting
    });
    assertThat(woken.keySet()).containsExactlyInAnyOrderElementsOf(functions);
    assertThat(woken.values()).containsOnly(1);

    List<String> next = new ArrayList<>();
    tracks.forEachWaiting(next::add);
    assertThat(next).containsExactlyInAnyOrderElementsOf(functions);
  }

  @Test
  void inFlightCells_trackEachRegularRequestUntilItEnds() {
    FunctionTimes times = tracks.times("fn");
    List<Integer> cells = new ArrayList<>();
    for (int i = 0; i < FunctionTimes.CELLS; i++) {
      cells.add(times.began(clock.get() + i));
    }
    assertThat(cells).doesNotContain(-1).doesNotHaveDuplicates();
    assertThat(times.began(clock.get())).as("all cells taken: not tracked").isEqualTo(-1);
    assertThat(times.inFlightStarts()).hasSize(FunctionTimes.CELLS);

    cells.forEach(times::ended);
    times.ended(-1);
    assertThat(times.inFlightStarts()).isEmpty();
  }

  /** "fn" has no Regular Instance; creations take 120 ms; its first waiting request waits for the scale from zero. */
  private void coldWaitBegan() {
    tracks.created("fn", 1, "w1", 120 * MS, 0);
    assertThat(tracks.chooseCold("fn", 1)).isEqualTo(Choice.WAIT);
  }

  @Test
  void noRegularInstance_theFirstRequestWaitsForTheScaleFromZero_ratherThanCreating() {
    tracks.created("fn", 1, "w1", 120 * MS, 0);

    // PulseNet's rule (nothing in flight, no history) would expedite; a scale from zero is a creation too.
    assertThat(choose("fn", 0)).isEqualTo(Choice.EXPEDITE);
    assertThat(tracks.chooseCold("fn", 1)).isEqualTo(Choice.WAIT);
    advance(200);
    assertThat(tracks.chooseCold("fn", 1)).isEqualTo(Choice.WAIT);
  }

  @Test
  void aStuckScaleFromZero_expedites_andTheNextColdWaitStartsAfresh() {
    coldWaitBegan();
    advance(480);
    assertThat(tracks.chooseCold("fn", 1)).isEqualTo(Choice.WAIT);
    advance(1);

    assertThat(tracks.chooseCold("fn", 1)).isEqualTo(Choice.EXPEDITE);
    advance(10_000);
    assertThat(tracks.chooseCold("fn", 1)).isEqualTo(Choice.WAIT);
  }

  @Test
  void aRegularRequest_endsTheColdWait() {
    coldWaitBegan();
    advance(100);
    tracks.times("fn").ended(tracks.times("fn").began(clock.get())); // the scale from zero served it
    advance(10_000); // scaled to zero again since

    assertThat(tracks.chooseCold("fn", 1)).isEqualTo(Choice.WAIT);
  }

  @Test
  void aStuckScaleFromZero_atTheCreationCap_holds() {
    coldWaitBegan();
    headroom = 0; // a cap of one creation in flight, taken
    tracks.times("fn").tryStartCreation(tracks.cap());
    advance(500);

    assertThat(tracks.chooseCold("fn", 1)).isEqualTo(Choice.HOLD);
  }
}
