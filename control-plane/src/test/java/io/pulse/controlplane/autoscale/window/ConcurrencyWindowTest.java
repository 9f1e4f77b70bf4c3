package io.pulse.controlplane.autoscale.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConcurrencyWindowTest {

  private final ConcurrencyWindow empty = ConcurrencyWindow.empty(1000, 10_000);

  @Test
  void average_emptyWindow_isUnknown() {
    assertThat(empty.average(5_000, 10_000)).isEmpty();
  }

  @Test
  void average_samplesInOneBucket_areAveragedNotSummed() {
    ConcurrencyWindow window = empty.record(1_100, 4).record(1_900, 6);

    assertThat(window.average(1_999, 1_000)).hasValue(5.0);
  }

  @Test
  void average_overBuckets_countsOnlyBucketsWithSamples() {
    // Reports at 1.9 s and 3.1 s: bucket 2 got none (jitter) and must not count as zero.
    ConcurrencyWindow window = empty.record(1_900, 4).record(3_100, 4);

    assertThat(window.average(3_500, 10_000)).hasValue(4.0);
  }

  @Test
  void average_story_oldSamplesLeaveTheWindow() {
    ConcurrencyWindow window = empty.record(0, 10).record(1_000, 10).record(2_000, 0);

    assertThat(window.average(2_000, 3_000)).hasValue(20.0 / 3);
    // At 3.5 s a 2 s window spans buckets 2..3: only the zero remains.
    assertThat(window.average(3_500, 2_000)).hasValue(0.0);
    // Far in the future nothing is left in the window.
    assertThat(window.average(60_000, 3_000)).isEmpty();
  }

  @Test
  void record_dropsSamplesOlderThanRetention() {
    ConcurrencyWindow window = empty.record(0, 100).record(20_000, 1);

    // The old sample is gone even for a window reaching back that far.
    assertThat(window.average(20_000, 1_000_000)).hasValue(1.0);
  }

  @Test
  void record_clockSteppingBack_foldsIntoNewestBucket() {
    ConcurrencyWindow window = empty.record(5_000, 2).record(3_000, 4);

    assertThat(window.average(5_000, 1_000)).hasValue(3.0);
  }

  @Test
  void record_isImmutable() {
    ConcurrencyWindow before = empty.record(0, 1);
    before.record(0, 100);

    assertThat(before.average(0, 1_000)).hasValue(1.0);
  }

  @Test
  void record_negativeValue_isRejected() {
    assertThatThrownBy(() -> empty.record(0, -1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("value");
  }

  @Test
  void empty_badSizes_areRejectedNamingTheField() {
    assertThatThrownBy(() -> ConcurrencyWindow.empty(0, 10)).hasMessageContaining("bucketMillis");
    assertThatThrownBy(() -> ConcurrencyWindow.empty(100, 10)).hasMessageContaining("retentionMillis");
  }
}
