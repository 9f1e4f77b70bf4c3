package io.pulse.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.bench.driver.LoggedProblems;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LogProblemCounterTest {

  private static final Logger LOG = LoggerFactory.getLogger("pulse.test.problems");

  @Test
  void countsWarningsAndErrors_keepsTheFirstErrors_andStopsCountingWhenClosed() {
    LogProblemCounter counter = LogProblemCounter.attach();
    try {
      LOG.info("not a problem");
      LOG.warn("slow worker");
      LOG.atError().setMessage("admission failed").addArgument("f4")
          .setCause(new ArrayIndexOutOfBoundsException("Index -1 out of bounds for length 2")).log();
      for (int i = 2; i <= 4; i++) {
        LOG.error("error {}", i);
      }

      LoggedProblems logged = counter.snapshot();
      assertThat(logged.errors()).isEqualTo(4);
      assertThat(logged.warnings()).isEqualTo(1);
      assertThat(logged.firstErrors()).hasSize(LoggedProblems.KEPT);
      assertThat(logged.firstErrors().getFirst()).isEqualTo("pulse.test.problems: admission failed"
          + " (java.lang.ArrayIndexOutOfBoundsException: Index -1 out of bounds for length 2)");
      assertThat(logged.firstErrors().get(2)).isEqualTo("pulse.test.problems: error 3");
    } finally {
      counter.close();
    }
    LOG.error("after the run");
    assertThat(counter.snapshot().errors()).isEqualTo(4);
  }
}
