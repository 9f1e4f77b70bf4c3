package io.pulse.dataplane.tracks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.dataplane.tracks.TrackRule.Choice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rule's table cases; {@link TrackChoiceTest} tells the stories in time. */
class TrackRuleTest {

  private static final long MS = 1_000_000;
  private static final TrackRule.Settings SETTINGS = new TrackRule.Settings(0.25, 5 * MS, 1, 4, 150 * MS, 8, 0.9, 4,
      2);

  @ParameterizedTest(name = "wait {0} ms, creation {1} ms, {2} creating of {3} -> {4}")
  @CsvSource({
      // A slot frees up well before an instance could be created: wait.
      "20, 120, 0, 4, WAIT",
      // Within the margin (120 * 1.25 + 5 = 155): still wait, creating must win clearly.
      "155, 120, 0, 4, WAIT",
      "156, 120, 0, 4, EXPEDITE",
      // A long wait, but the function's creations in flight are at the cap: hold.
      "900, 120, 4, 4, HOLD",
      "900, 120, 3, 4, EXPEDITE",
      // A slow machine: creations take 600 ms, so a 500 ms wait is the faster way.
      "500, 600, 0, 4, WAIT"})
  void choose(long waitMs, long creationMs, int creating, int cap, Choice expected) {
    assertThat(TrackRule.choose(waitMs * MS, creationMs * MS, creating, cap, 1, SETTINGS)).isEqualTo(expected);
  }

  @Test
  void unknownWait_expedites_unlessAtTheCap() {
    assertThat(TrackRule.choose(TrackRule.UNKNOWN, 120 * MS, 0, 1, 1, SETTINGS)).isEqualTo(Choice.EXPEDITE);
    assertThat(TrackRule.choose(TrackRule.UNKNOWN, 120 * MS, 1, 1, 1, SETTINGS)).isEqualTo(Choice.HOLD);
  }

  @Test
  void crowdedWorkers_hold_butAWaitThatIsShortEnoughStillWaits() {
    assertThat(TrackRule.choose(TrackRule.UNKNOWN, 240 * MS, 0, 4, 2.0, SETTINGS)).as("at the bound")
        .isEqualTo(Choice.EXPEDITE);
    assertThat(TrackRule.choose(TrackRule.UNKNOWN, 360 * MS, 0, 4, 3.0, SETTINGS)).isEqualTo(Choice.HOLD);
    assertThat(TrackRule.choose(900 * MS, 360 * MS, 0, 4, 3.0, SETTINGS)).isEqualTo(Choice.HOLD);
    assertThat(TrackRule.choose(400 * MS, 360 * MS, 0, 4, 3.0, SETTINGS)).isEqualTo(Choice.WAIT);
  }

  @Test
  void aCrowdingBoundOfOneOrLess_isRefused_namingTheValue() {
    assertThatThrownBy(() -> new TrackRule.Settings(0.25, 5 * MS, 1, 4, 150 * MS, 8, 0.9, 4, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(", 1.0");
  }

  @ParameterizedTest(name = "{0}..{1}, headroom {2} -> {3}")
  @CsvSource({"1, 4, 1.0, 4", "1, 4, 0.5, 2", "1, 4, 0.1, 1", "1, 4, 0.0, 1", "1, 8, 0.75, 6", "1, 4, NaN, 4",
      "1, 4, 1.5, 4", "2, 8, 0.0, 2", "2, 8, 0.1, 2", "2, 8, 0.5, 4"})
  void cap_scalesWithHeadroom_withinItsBounds(int min, int max, double headroom, int expected) {
    assertThat(TrackRule.cap(min, max, headroom)).isEqualTo(expected);
  }

  @Test
  void residual_isTheMeanExcessOfTheLongerTimes_whenTheyAreAlike() {
    long[] samples = {100 * MS, 200 * MS, 300 * MS, 400 * MS};

    // The median excess never exceeds the mean here: the mean counts.
    assertThat(TrackRule.residualNanos(0, samples, 1, 0.5)).isEqualTo(250 * MS);
    assertThat(TrackRule.residualNanos(150 * MS, samples, 1, 0.5)).isEqualTo(150 * MS); // (50 + 150 + 250) / 3
    assertThat(TrackRule.residualNanos(350 * MS, samples, 1, 0.5)).isEqualTo(50 * MS);
    // Outlived everything seen: expect about as long again.
    assertThat(TrackRule.residualNanos(500 * MS, samples, 1, 0.5)).isEqualTo(500 * MS);
    assertThat(TrackRule.residualNanos(10 * MS, new long[0], 1, 0.5)).isEqualTo(TrackRule.UNKNOWN);
  }

  @Test
  void residual_ofARareLongRun_isItsTail_notTheMean() {
    long[] samples = new long[20];
    java.util.Arrays.fill(samples, 0, 17, 50 * MS);
    java.util.Arrays.fill(samples, 17, 20, 1_000 * MS); // 3 in 20 ran a second

    // 10 ms in: the mean excess is (17 x 40 + 3 x 990) / 20 = 182.5 ms, the 90th percentile 990 ms.
    assertThat(TrackRule.residualNanos(10 * MS, samples, 1, 0.9)).isEqualTo(990 * MS);
    assertThat(TrackRule.residualNanos(10 * MS, samples, 1, 0.5)).isEqualTo(Math.round(182.5 * MS));
  }

  @Test
  void residual_fromTooFewExecutionTimes_isTheirLongestStretched_byHowFewTheyAre() {
    long[] two = {6 * MS, 10 * MS};

    // 2 of 8: a run is bounded by 10 ms x 8 / 2 = 40 ms.
    assertThat(TrackRule.residualNanos(0, two, 8, 0.9)).isEqualTo(40 * MS);
    assertThat(TrackRule.residualNanos(15 * MS, two, 8, 0.9)).isEqualTo(25 * MS);
    assertThat(TrackRule.residualNanos(50 * MS, two, 8, 0.9)).isEqualTo(50 * MS); // past the bound: as long again
    assertThat(TrackRule.residualNanos(0, new long[] {10 * MS}, 8, 0.9)).isEqualTo(80 * MS);
    assertThat(TrackRule.residualNanos(0, new long[] {Long.MAX_VALUE / 4}, 8, 0.9)).isEqualTo(TrackRule.UNKNOWN);
    assertThat(TrackRule.residualNanos(0, new long[0], 8, 0.9)).isEqualTo(TrackRule.UNKNOWN);
    assertThat(TrackRule.residuals(5 * MS, new long[] {0, 5 * MS}, two, SETTINGS))
        .containsExactly(35 * MS, 40 * MS);
  }

  @Test
  void fewExecutionTimes_aShortFunctionIsWaitedFor_aLongOneIsNot() {
    long creation = 150 * MS;
    long[] shortRuns = {10 * MS, 12 * MS}; // bound 48 ms
    long[] longRuns = {90 * MS, 100 * MS}; // bound 400 ms

    assertThat(TrackRule.choose(TrackRule.residualNanos(0, shortRuns, 8, 0.9), creation, 0, 2, 1, SETTINGS))
        .isEqualTo(TrackRule.Choice.WAIT);
    assertThat(TrackRule.choose(TrackRule.residualNanos(0, longRuns, 8, 0.9), creation, 0, 2, 1, SETTINGS))
        .isEqualTo(TrackRule.Choice.EXPEDITE);
  }

  @Test
  void meanExecution_isStretchedLikeTheBound_fromFewTimes() {
    assertThat(TrackRule.meanExecutionNanos(new long[] {10 * MS, 30 * MS}, 8)).isEqualTo(80 * MS);
    assertThat(TrackRule.meanExecutionNanos(new long[] {10 * MS, 30 * MS}, 2)).isEqualTo(20 * MS);
    assertThat(TrackRule.meanExecutionNanos(new long[0], 8)).isZero();
  }

  @Test
  void expectedWait_isTheAheadthSlotToFreeUp_plusMeanTimesPerFurtherRound() {
    long[] residuals = {10 * MS, 40 * MS};

    assertThat(TrackRule.expectedWaitNanos(residuals, 0, 100 * MS)).isEqualTo(10 * MS);
    assertThat(TrackRule.expectedWaitNanos(residuals, 1, 100 * MS)).isEqualTo(40 * MS);
    assertThat(TrackRule.expectedWaitNanos(residuals, 2, 100 * MS)).isEqualTo(110 * MS);
    assertThat(TrackRule.expectedWaitNanos(residuals, 5, 100 * MS)).isEqualTo(240 * MS);
    assertThat(TrackRule.expectedWaitNanos(new long[0], 0, 100 * MS)).isEqualTo(TrackRule.UNKNOWN);
    assertThat(TrackRule.expectedWaitNanos(new long[] {TrackRule.UNKNOWN}, 0, 0)).isEqualTo(TrackRule.UNKNOWN);
    assertThat(TrackRule.expectedWaitNanos(residuals, Integer.MAX_VALUE, Long.MAX_VALUE / 2))
        .isEqualTo(TrackRule.UNKNOWN);
  }

  @Test
  void scaleFromZero_isExpectedInOneCreation_fromWhenTheWaitBegan() {
    assertThat(TrackRule.scaleFromZeroWaitNanos(0, 120 * MS, SETTINGS)).isEqualTo(120 * MS);
    assertThat(TrackRule.scaleFromZeroWaitNanos(50 * MS, 120 * MS, SETTINGS)).isEqualTo(70 * MS);
    // Late but not stuck: any moment now.
    assertThat(TrackRule.scaleFromZeroWaitNanos(300 * MS, 120 * MS, SETTINGS)).isZero();
  }

  @Test
  void scaleFromZero_pastItsStuckCreations_isUnknown() {
    assertThat(TrackRule.scaleFromZeroWaitNanos(480 * MS, 120 * MS, SETTINGS)).isZero();
    assertThat(TrackRule.scaleFromZeroWaitNanos(481 * MS, 120 * MS, SETTINGS)).isEqualTo(TrackRule.UNKNOWN);
  }
}
