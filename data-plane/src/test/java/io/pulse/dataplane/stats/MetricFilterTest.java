package io.pulse.dataplane.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MetricFilterTest {

  private static final long SECOND = 1_000_000_000L;
  private final AtomicLong now = new AtomicLong();

  @Test
  void counts_onlyWhenTheMedianInterArrivalIsBelowTheKeepAlive() {
    MetricFilter filter = new MetricFilter(50, 100, now::get);
    for (int second = 0; second <= 360; second++) {
      filter.arrived("every-second");
      if (second % 120 == 0) {
        filter.arrived("every-two-minutes");
      }
      now.addAndGet(SECOND);
    }

    assertThat(filter.counts("every-second", 60)).isTrue();
    assertThat(filter.counts("every-two-minutes", 60)).isFalse();
    assertThat(filter.counts("every-two-minutes", 180)).as("a longer keep-alive would reuse").isTrue();
  }

  @Test
  void counts_withoutTwoArrivals_isFalse() {
    MetricFilter filter = new MetricFilter(50, 100, now::get);
    assertThat(filter.counts("never", 60)).isFalse();
    filter.arrived("once");
    assertThat(filter.counts("once", 60)).isFalse();
  }

  @Test
  void rare_onlyOnceAnInterArrivalTimeShowsIt() {
    MetricFilter filter = new MetricFilter(50, 100, now::get);
    assertThat(filter.rare("never", 60)).as("not seen: not known to be rare").isFalse();
    filter.arrived("slow");
    filter.arrived("fast");
    assertThat(filter.rare("slow", 60)).as("seen once: not known to be rare").isFalse();
    now.addAndGet(SECOND);
    filter.arrived("fast");
    now.addAndGet(120 * SECOND);
    filter.arrived("slow");

    assertThat(filter.rare("slow", 60)).isTrue();
    assertThat(filter.rare("fast", 60)).isFalse();
  }

  @Test
  void passes_usesTheConfiguredPercentile() {
    long[] gaps = {1 * SECOND, 2 * SECOND, 3 * SECOND, 100 * SECOND};
    assertThat(MetricFilter.passes(gaps, 50, 60 * SECOND)).isTrue();
    assertThat(MetricFilter.passes(gaps, 90, 60 * SECOND)).isFalse();
    assertThat(MetricFilter.passes(new long[0], 50, 60 * SECOND)).isFalse();
  }
}
