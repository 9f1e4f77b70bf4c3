package io.pulse.controlplane.pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CreationLogTest {

  private static final long WINDOW = 10_000;

  private final CreationLog log = new CreationLog();

  @Test
  void recent_countsEachWorkersCreationsWithinTheWindow() {
    log.created("f", "w1", 1_000);
    log.created("f", "w1", 1_500);
    log.created("f", "w2", 2_000);

    assertThat(log.recent("f", WINDOW, 3_000)).isEqualTo(Map.of("w1", 2.0, "w2", 1.0));
    assertThat(log.recent("never", WINDOW, 3_000)).isEmpty();
  }

  @Test
  void recent_forgetsWhatIsOlderThanTheWindow_andIsEmptyOnceTheFunctionWasIdleThatLong() {
    log.created("f", "w1", 1_000);
    log.created("f", "w1", 2_000);

    assertThat(log.recent("f", WINDOW, 10_999)).isEqualTo(Map.of("w1", 2.0));
    assertThat(log.recent("f", WINDOW, 11_000)).isEqualTo(Map.of("w1", 1.0));
    assertThat(log.recent("f", WINDOW, 12_000)).isEmpty();
  }

  @Test
  void creationSeconds_isTheMeanOfTheRecentOnes() {
    assertThat(log.creationSeconds("f")).isNaN();
    for (int i = 0; i < CreationLog.TIMED; i++) {
      log.ready("f", 9.0);
    }
    for (int i = 0; i < CreationLog.TIMED; i++) {
      log.ready("f", i % 2 == 0 ? 0.1 : 0.3);
    }

    assertThat(log.creationSeconds("f")).isCloseTo(0.2, within(1e-9));
    log.forget("f");
    assertThat(log.creationSeconds("f")).isNaN();
  }

  @Test
  void retain_forgetsEveryOtherFunction() {
    log.created("kept", "w1", 1_000);
    log.created("other", "w1", 1_000);
    log.ready("other", 0.1);

    log.retain(java.util.Set.of("kept"));

    assertThat(log.recent("kept", WINDOW, 2_000)).isNotEmpty();
    assertThat(log.recent("other", WINDOW, 2_000)).isEmpty();
    assertThat(log.creationSeconds("other")).isNaN();
  }

  @Test
  void restore_aPreviousTermsRateCountsAsCreationsEvenlyOverTheWindowBefore_andAgesOutOverTheWindow() {
    log.restore("f", "w1", 2.0, 1_000_000);

    assertThat(log.recent("f", WINDOW, 1_000_000).get("w1")).isCloseTo(20.0, within(1e-9));
    assertThat(log.recent("f", WINDOW, 1_005_000).get("w1")).as("half of it out of the window")
        .isCloseTo(10.0, within(1e-9));
    log.created("f", "w1", 1_005_000);
    assertThat(log.recent("f", WINDOW, 1_005_000).get("w1")).as("a creation of this term counts on top")
        .isCloseTo(11.0, within(1e-9));
    assertThat(log.recent("f", WINDOW, 1_010_000)).as("only this term's creation is left")
        .isEqualTo(Map.of("w1", 1.0));
    assertThat(log.recent("f", WINDOW, 1_015_000)).isEmpty();
  }
}
