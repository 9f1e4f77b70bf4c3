package io.pulse.controlplane.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.controlplane.autoscale.window.ConcurrencyWindow;
import io.pulse.controlplane.registry.FunctionSpec.Scaling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Stories in time (inputs set, now advanced, decision asserted) plus table cases, as Knative's autoscaler tests. */
class KpaTest {

  private static final long STABLE = 60_000;
  private final Kpa kpa = new Kpa(KpaSettings.defaults());

  /** A function with its window and the decider's state, advanced the way the runner does. */
  private final class Story {
    Scaling scaling;
    ConcurrencyWindow window = ConcurrencyWindow.empty(1000, STABLE);
    long lastActive = ScaleInput.NEVER;
    PanicState panic = PanicState.CALM;
    int ready;
    int demand;
    IdleGaps idleGaps = IdleGaps.NONE;
    ColdStartShare coldStart = ColdStartShare.UNKNOWN;
    int memoryMiB;
    Kpa decider = kpa;

    Story(Scaling scaling) {
      this.scaling = scaling;
    }

    /** Observed concurrency {@code value} every second from {@code from} to {@code to} (exclusive). */
    Story load(long from, long to, double value) {
      for (long t = from; t < to; t += 1000) {
        window = window.record(t, value);
        if (value > 0) {
          lastActive = t;
        }
      }
      demand = (int) Math.ceil(value);
      return this;
    }

    ScaleDecision decide(long now) {
      ScaleDecision decision = decider.decide(
          new ScaleInput("fn", scaling, ready, window, demand, lastActive, panic, idleGaps, coldStart, memoryMiB),
          now);
      if (decision instanceof ScaleDecision.Scale scale) {
        panic = scale.panic();
      }
      return decision;
    }

    int desired(long now) {
      return ((ScaleDecision.Scale) decide(now)).desired();
    }
  }

  private static Scaling scaling(int min, int max, int target, int keepAliveSeconds) {
    return new Scaling(min, max, target, keepAliveSeconds);
  }

  @Test
  void neverUsed_scalesToMinScale() {
    assertThat(new Story(scaling(0, 0, 1, 60)).desired(0)).isZero();
    assertThat(new Story(scaling(2, 0, 1, 60)).desired(0)).isEqualTo(2);
  }

  @Test
  void steadyLoad_stableWindowSizesTheFunction() {
    Story story = new Story(scaling(0, 0, 10, 60)).load(0, 60_000, 35);
    story.ready = 4;

    ScaleDecision decision = story.decide(60_000);

    assertThat(decision).isInstanceOf(ScaleDecision.Scale.class);
    assertThat(((ScaleDecision.Scale) decision).desired()).isEqualTo(4);
    assertThat(((ScaleDecision.Scale) decision).reason()).isEqualTo(ScaleDecision.Reason.STABLE);
  }

  @Test
  void scaleFromZero_firstQueuedRequest_asksForOne() {
    Story story = new Story(scaling(0, 0, 1, 60)).load(10_000, 10_001, 1);

    assertThat(story.desired(10_000)).isEqualTo(1);
  }

  @Test
  void surge_entersPanic_andNeverScalesDownWhilePanicking() {
    Story story = new Story(scaling(0, 0, 1, 600)).load(0, 54_000, 2);
    story.ready = 2;
    assertThat(story.desired(54_000)).isEqualTo(2);

    // A burst to 20 in the last 6 s: panic window wants 20 >= 2 x 2 ready.
    story.load(54_000, 60_000, 20);
    ScaleDecision.Scale burst = (ScaleDecision.Scale) story.decide(59_999);
    assertThat(burst.reason()).isEqualTo(ScaleDecision.Reason.PANIC);
    assertThat(burst.desired()).isEqualTo(20);
    story.ready = 20;

    // The burst stops; still in panic for a stable window: the count holds.
    story.load(60_000, 80_000, 2);
    assertThat(story.desired(80_000)).isEqualTo(20);
    assertThat(story.panic.active()).isTrue();

    // A stable window after the last surge, panic ends; scale-down is then rate-limited to half.
    story.load(80_000, 120_000, 2);
    ScaleDecision.Scale calm = (ScaleDecision.Scale) story.decide(120_000);
    assertThat(calm.reason()).isEqualTo(ScaleDecision.Reason.STABLE);
    assertThat(calm.desired()).isEqualTo(10);
  }

  @Test
  void withoutPanic_aSurgeIsSizedByTheStableWindow_andNothingHoldsItsHighWaterMark() {
    Story story = new Story(scaling(0, 0, 1, 600)).load(0, 54_000, 2);
    story.ready = 2;
    story.load(54_000, 60_000, 20); // the surge that makes the KPA panic to 20 (above)
    Kpa calm = new Kpa(KpaSettings.defaults().withoutPanic());

    ScaleDecision.Scale burst = (ScaleDecision.Scale) calm.decide(
        new ScaleInput("fn", story.scaling, 2, story.window, 20, story.lastActive, PanicState.CALM), 59_999);

    assertThat(burst.reason()).isEqualTo(ScaleDecision.Reason.STABLE);
    assertThat(burst.panic().active()).isFalse();
    // The 60 s average: 54 s at 2, 6 s at 20.
    assertThat(burst.desired()).isEqualTo(4);
  }

  @Test
  void fleetSlack_leavesTheFractionOfAnInstanceToTheExpeditedTrack_butKeepsOneWhileThereIsDemand() {
    Kpa slack = new Kpa(KpaSettings.defaults().withoutPanic().withFleetSlack(0.5));
    Story busy = new Story(scaling(0, 0, 1, 600)).load(0, 60_000, 9.4);
    busy.ready = 10;
    busy.decider = slack;
    Story fuller = new Story(scaling(0, 0, 1, 600)).load(0, 60_000, 9.6);
    fuller.ready = 10;
    fuller.decider = slack;
    Story sparse = new Story(scaling(0, 0, 1, 600)).load(0, 60_000, 0.3);
    sparse.ready = 1;
    sparse.decider = slack;

    assertThat(busy.desired(60_000)).as("9.4 less half an instance").isEqualTo(9);
    assertThat(fuller.desired(60_000)).isEqualTo(10);
    assertThat(sparse.desired(60_000)).as("demand keeps one").isEqualTo(1);
    assertThat(new Story(scaling(0, 0, 1, 600)).load(0, 60_000, 9.4).desired(60_000)).as("Knative's").isEqualTo(10);
  }

  @Test
  void keepAlive_holdsOneInstanceThenScalesToZero() {
    Story story = new Story(scaling(0, 0, 1, 30)).load(0, 5_000, 1);
    story.ready = 1;
    story.load(5_000, 20_000, 0);

    // Idle for 15 s (< 30 s keep-alive): the window decays, one instance stays.
    assertThat(story.desired(20_000)).isEqualTo(1);
    // 30 s after the last activity: down to minScale at once.
    assertThat(story.desired(34_000)).isZero();
  }

  @Test
  void idleKeepAlive_holdsTheLastInstanceThroughTheGapsItSaw_andThenScalesToZero() {
    Story story = new Story(scaling(0, 0, 1, 30)).load(0, 5_000, 1);
    story.ready = 1;
    story.load(5_000, 60_000, 0);
    story.idleGaps = IdleGaps.of(50_000, 70_000, 40_000); // all within 5 keep-alives: held for 1.5 x 70 s
    story.decider = new Kpa(KpaSettings.defaults(), new IdleKeepAlive(5));

    assertThat(story.desired(60_000)).isEqualTo(1);
    assertThat(story.desired(4_000 + 105_000 - 1)).isEqualTo(1);
    ScaleDecision.Scale after = (ScaleDecision.Scale) story.decide(4_000 + 105_000);
    assertThat(after.desired()).isZero();
    assertThat(after.reason()).isEqualTo(ScaleDecision.Reason.IDLE);

    // The same gaps with Knative's fixed keep-alive: gone after 30 s.
    story.decider = kpa;
    assertThat(story.desired(4_000 + 30_000)).isZero();

    // Held only where a cold start matters to the call: a 120 ms creation on 2 s calls does not.
    story.decider = new Kpa(KpaSettings.defaults(), new IdleKeepAlive(5, 0.3));
    story.coldStart = new ColdStartShare(2_000_000, 120_000);
    assertThat(story.desired(4_000 + 30_000)).isZero();
    story.coldStart = new ColdStartShare(100_000, 120_000);
    assertThat(story.desired(4_000 + 105_000 - 1)).isEqualTo(1);

    // Priced by memory: 64 MiB against a budget of 128 MiB for one keep-alive is two keep-alives more (90 s, not 105).
    story.decider = new Kpa(KpaSettings.defaults(), new IdleKeepAlive(5, 0.3, 128));
    story.memoryMiB = 64;
    assertThat(story.desired(4_000 + 90_000 - 1)).isEqualTo(1);
    assertThat(story.desired(4_000 + 90_000)).isZero();
    story.memoryMiB = 16;
    assertThat(story.desired(4_000 + 105_000 - 1)).as("16 MiB affords the whole hold").isEqualTo(1);
  }

  @Test
  void keepAlive_withMinScale_scalesDownToMinScaleOnly() {
    Story story = new Story(scaling(2, 0, 1, 1)).load(0, 10_000, 8);
    story.ready = 8;
    story.load(10_000, 12_000, 0);

    assertThat(story.desired(12_000)).isEqualTo(2);
  }

  @Test
  void demandNow_keepsAtLeastOneEvenAfterKeepAlive() {
    Story story = new Story(scaling(0, 0, 10, 1));
    story.window = story.window.record(0, 0.01);
    story.lastActive = 0;
    story.demand = 1; // a long request in flight, no new arrivals

    assertThat(story.desired(100_000)).isEqualTo(1);
  }

  @Test
  void recentlyActive_withoutSamples_isNoDecision() {
    Story story = new Story(scaling(0, 0, 1, 60));
    story.lastActive = 1_000;

    assertThat(story.decide(2_000)).isSameAs(ScaleDecision.NONE);
  }

  @ParameterizedTest(name = "[{index}] load {0}, target {1}, ready {2}, min {3}, max {4} -> {5}")
  @CsvSource({
      // load, target, ready, min, max, desired
      "10,   1,  10,  0,  0, 10",
      "10,   3,  4,   0,  0, 4",
      "0.5,  1,  1,   0,  0, 1",
      "100,  1,  10,  0,  20, 20",   // maxScale bounds
      "1,    1,  1,   5,  0, 5",     // minScale bounds
      "3,    1,  12,  0,  0, 6",     // scale-down rate: at most /2 per decision
      "5000, 1,  1,   0,  0, 1000",  // scale-up rate: at most x1000 per decision
      "12,   5,  3,   0,  0, 3",
  })
  void decide_table(double load, int target, int ready, int min, int max, int desired) {
    Story story = new Story(scaling(min, max, target, 600)).load(0, 60_000, load);
    story.ready = ready;

    assertThat(story.desired(60_000)).isEqualTo(desired);
  }
}
