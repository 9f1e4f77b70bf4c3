package io.pulse.bench.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the shared traces in place (../shared/traces, never copied into the repository). */
class TraceReadersTest {

  static final Path TRACES = io.pulse.bench.trace.SharedTraces.locate().orElse(Path.of("shared/traces"));

  @org.junit.jupiter.api.BeforeAll
  static void requireSharedTraces() {
    org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(TRACES),
        "the shared traces (shared/traces beside the project) were not found; set PULSE_TRACES to run these tests");
  }

  @Test
  void loader_example_fourFunctionsFiveCallsPerMinuteFixedDurations() {
    Trace trace = TraceReaders.read(TRACES.resolve("loader_example"), 4);

    assertThat(trace.format()).isEqualTo("loader");
    assertThat(trace.functions()).hasSize(4);
    TraceFunction first = trace.functions().getFirst();
    assertThat(first.minutes()).isEqualTo(1440);
    assertThat(first.perMinute()[0]).isEqualTo(5);
    assertThat(first.invocations(1, 11)).isEqualTo(50);
    assertThat(first.durations().average()).isEqualTo(100.0);
    assertThat(first.memoryMb()).isEqualTo(120.0);
  }

  @Test
  void invitro_picksTheSmallestFileWithEnoughFunctions() {
    assertThat(TraceReaders.read(TRACES.resolve("invitro_sampled_2022_cb0077f3"), 5).functions()).hasSize(10);
    Trace hundred = TraceReaders.read(TRACES.resolve("invitro_sampled_2022_cb0077f3"), 20);
    assertThat(hundred.format()).isEqualTo("invitro");
    assertThat(hundred.functions()).hasSize(100);
    TraceFunction first = hundred.functions().getFirst();
    assertThat(first.hash()).startsWith("1779fd33");
    assertThat(first.durations().average()).isEqualTo(81067.0);
    assertThat(first.memoryMb()).as("memory is per app; here app = function").isGreaterThan(0);
  }

  @Test
  void durationPercentiles_sampleInterpolatesBetweenPercentiles() {
    DurationPercentiles p = new DurationPercentiles(50, 0, 10, 20, 40, 60, 100, 200);
    assertThat(p.sample(0)).isEqualTo(0);
    assertThat(p.sample(0.5)).isEqualTo(40);
    assertThat(p.sample(0.375)).isCloseTo(30, within(1e-9));
    assertThat(p.sample(1)).isEqualTo(200);
  }

  @Test
  void missingFiles_failNamingTheDirectory(@TempDir Path empty) {
    assertThatThrownBy(() -> TraceReaders.read(empty, 1)).hasMessageContaining(empty.toString())
        .hasMessageContaining("invocations.csv");
  }
}
