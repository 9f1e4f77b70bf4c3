package io.pulse.bench.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.bench.trace.DurationPercentiles;
import io.pulse.bench.trace.Trace;
import io.pulse.bench.trace.TraceFunction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TraceWindowsTest {

  /** 40 functions over 100 minutes; function n is busy (10 calls a minute) in minutes 50-59 only when n is even. */
  private static Trace trace() {
    List<TraceFunction> functions = new ArrayList<>();
    for (int n = 0; n < 40; n++) {
      int[] perMinute = new int[100];
      for (int m = 49; m < 59; m++) {
        perMinute[m] = n % 2 == 0 ? 10 : 0;
      }
      perMinute[n] = 1; // one call in minute n+1, so that function sets can be told apart
      functions.add(new TraceFunction("h" + n, perMinute, DurationPercentiles.fixed(200), 256));
    }
    return new Trace("synthetic", "test", functions);
  }

  private static final ReplayOptions BASE = new ReplayOptions(8, false, 1, 2, 10, 0.1, 10, 1000, 0.0625, 16, 512, 0);

  @Test
  void sameSeed_drawsTheSameWindows_anotherSeedOthers() {
    List<ReplayOptions> first = TraceWindows.draw(trace(), BASE, 5, 5, 0, 42);
    List<ReplayOptions> again = TraceWindows.draw(trace(), BASE, 5, 5, 0, 42);
    List<ReplayOptions> other = TraceWindows.draw(trace(), BASE, 5, 5, 0, 43);

    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
  }

  @Test
  void everyWindow_liesInsideTheTrace_withTheBaseScaling_andASampledFunctionSet() {
    List<ReplayOptions> windows = TraceWindows.draw(trace(), BASE, 20, 5, 0, 7);

    assertThat(windows).hasSize(20).allSatisfy(w -> {
      assertThat(w.fromMinute()).isBetween(1, 96);
      assertThat(w.toMinute()).isEqualTo(w.fromMinute() + 5);
      assertThat(w.sample()).isTrue();
      assertThat(w.functions()).isEqualTo(8);
      assertThat(w.compress()).isEqualTo(10);
      assertThat(w.maxDurationMs()).isEqualTo(1000);
    });
    Set<Integer> starts = new HashSet<>();
    Set<Long> seeds = new HashSet<>();
    windows.forEach(w -> {
      starts.add(w.fromMinute());
      seeds.add(w.seed());
    });
    assertThat(starts).as("minute ranges differ").hasSizeGreaterThan(10);
    assertThat(seeds).as("function samples differ").hasSize(20);
  }

  @Test
  void aQuietWindow_isDrawnAgain() {
    // Only minutes 50-59 of the even functions carry more than a handful of calls.
    List<ReplayOptions> windows = TraceWindows.draw(trace(), BASE, 6, 5, 25, 3);

    assertThat(windows).allSatisfy(w -> {
      assertThat(ScheduleGenerator.generate(trace(), w).invocations().size()).isGreaterThanOrEqualTo(25);
      assertThat(w.fromMinute()).isBetween(46, 59);
    });
  }

  @Test
  void aWindowAsLongAsTheTrace_isRefused() {
    assertThatThrownBy(() -> TraceWindows.draw(trace(), BASE, 1, 100, 0, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window length");
    assertThatThrownBy(() -> TraceWindows.draw(trace(), BASE, 0, 5, 0, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("windows");
  }
}
