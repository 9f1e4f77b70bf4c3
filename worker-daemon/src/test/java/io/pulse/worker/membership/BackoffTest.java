package io.pulse.worker.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void next_doublesFrom100msUpTo2s() {
    List<Long> delays = new ArrayList<>();
    Backoff backoff = Backoff.INITIAL;
    for (int i = 0; i < 7; i++) {
      delays.add(backoff.delayMs());
      backoff = backoff.next();
    }

    assertThat(delays).containsExactly(100L, 200L, 400L, 800L, 1600L, 2000L, 2000L);
  }
}
