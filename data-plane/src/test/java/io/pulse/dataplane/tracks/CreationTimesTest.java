package io.pulse.dataplane.tracks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CreationTimesTest {

  private static final long MS = 1_000_000;
  private static final long PRIOR = 150 * MS;

  private final Map<String, Integer> creating = new HashMap<>();
  private final CreationTimes times = new CreationTimes(worker -> creating.getOrDefault(worker, 0),
      creating::keySet);

  @Test
  void nothingMeasured_isThePrior() {
    assertThat(times.expectedNanos("fn", 1, PRIOR)).isEqualTo(PRIOR);
  }

  @Test
  void untilACreationRanBesideOthers_eachOneUnderWayIsTakenToAddThePriorShare() {
    times.record("fn", 1, "w1", 200 * MS, 0);
    creating.put("w1", 3);

    assertThat(times.expectedNanos("fn", 1, PRIOR))
        .isEqualTo(Math.round(200 * MS * (1 + 3 * CreationTimes.PRIOR_SLOPE))).isGreaterThan(200 * MS);
  }

  @Test
  void howCrowdedTheWorkersAre_isTheLeastCrowdedWorker() {
    times.record("fn", 1, "busy", 100 * MS, 0);
    times.record("fn", 1, "busy", 300 * MS, 1); // slope 2
    creating.put("busy", 2);
    assertThat(times.slowdownNow()).isCloseTo(5.0, within(1e-9));

    creating.put("idle", 0);
    assertThat(times.slowdownNow()).as("a worker with nothing under way").isEqualTo(1.0);
    // What the metrics show per worker: the creations under way and the slowdown they make.
    assertThat(times.underWay()).containsExactly(Map.entry("busy", 2), Map.entry("idle", 0));
    assertThat(times.slowdowns()).containsOnlyKeys("busy", "idle");
    assertThat(times.slowdowns().get("busy")).isCloseTo(5.0, within(1e-9));
    assertThat(times.slowdowns().get("idle")).isEqualTo(1.0);
  }

  @Test
  void creationsThatGrowWithOthersUnderWay_teachASlope_andTheExpectedTimeGrowsWithTheCreationsUnderWayNow() {
    times.record("fn", 1, "w1", 200 * MS, 0);
    // Beside two others it took three alone times: each other creation adds one alone time.
    times.record("fn", 1, "w1", 600 * MS, 2);

    assertThat(times.slowdown("w1", 2)).isCloseTo(3.0, within(1e-9));
    assertThat(times.expectedNanos("fn", 1, PRIOR)).as("stored as its alone equivalent").isEqualTo(200 * MS);
    creating.put("w1", 5);
    assertThat(times.expectedNanos("fn", 1, PRIOR)).isEqualTo(1_200 * MS);
  }

  @Test
  void creationsThatDoNotGrowWithOthersUnderWay_leaveTheEstimateAlone() {
    times.record("fn", 1, "w1", 200 * MS, 0);
    for (int i = 0; i < 10; i++) {
      times.record("fn", 1, "w1", 200 * MS, 1 + i % 6);
    }
    creating.put("w1", 7);

    assertThat(times.expectedNanos("fn", 1, PRIOR)).isEqualTo(200 * MS);
  }

  @Test
  void noisyCreationTimes_teachTheSlopeTheyHave_andNoneWhereTheyDoNotGrow() {
    for (double truth : new double[] {0, 0.5, 1}) {
      CreationTimes learned = new CreationTimes();
      Random random = new Random(15);
      double sum = 0;
      for (int i = 0; i < 300; i++) {
        int others = random.nextInt(6);
        learned.record("fn", 1, "w1", Math.round((150 + 100 * random.nextDouble()) * (1 + truth * others) * MS),
            others);
        if (i >= 200) {
          sum += learned.slowdown("w1", 1) - 1;
        }
      }
      assertThat(sum / 100).as("slope learned where the truth is %s", truth).isCloseTo(truth, within(0.1));
    }
  }

  @Test
  void eachWorkerHasItsOwnSlope_andTheExpectedTimeIsTheMeanOverTheWorkersThatCreatedTheRevision() {
    times.record("fn", 1, "busy", 100 * MS, 0);
    times.record("fn", 1, "busy", 300 * MS, 1); // slope 2
    times.record("fn", 1, "idle", 100 * MS, 0);
    times.record("fn", 1, "idle", 100 * MS, 1); // slope 0
    creating.put("busy", 2);
    creating.put("idle", 2);

    assertThat(times.expectedNanos("fn", 1, PRIOR)).as("(100 x 5 + 100 x 1) / 2").isEqualTo(300 * MS);
  }

  @Test
  void aRevisionNotCreatedYet_isTheAloneTimeOverEveryCreation_timesTheLeastCrowdedWorkersSlowdown() {
    times.record("other", 1, "w1", 100 * MS, 0);
    times.record("other", 1, "w1", 200 * MS, 1); // slope 1; stored as 100 ms
    creating.put("w1", 1);

    assertThat(times.expectedNanos("fn", 1, PRIOR)).isEqualTo(200 * MS);
    assertThat(times.expectedNanos("other", 2, PRIOR)).as("a newer revision than the one measured")
        .isEqualTo(200 * MS);
  }

  @Test
  void aWildSample_movesTheSlopeNoFurtherThanItsBound() {
    times.record("fn", 1, "w1", 10 * MS, 0);
    times.record("fn", 1, "w1", 10_000 * MS, 1);

    assertThat(times.slowdown("w1", 1)).isEqualTo(1 + CreationTimes.MAX_SLOPE);
  }
}
