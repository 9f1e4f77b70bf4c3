package io.pulse.bench.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.bench.trace.DurationPercentiles;
import io.pulse.bench.trace.Trace;
import io.pulse.bench.trace.TraceFunction;
import io.pulse.bench.trace.TraceReaders;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ScheduleGeneratorTest {

  private static final Path TRACES = io.pulse.bench.trace.SharedTraces.locate().orElse(Path.of("shared/traces"));

  @org.junit.jupiter.api.BeforeAll
  static void requireSharedTraces() {
    org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(TRACES),
        "the shared traces (shared/traces beside the project) were not found; set PULSE_TRACES to run these tests");
  }

  private static ReplayOptions options(long seed) {
    return new ReplayOptions(20, false, 600, 610, 10, 0.1, 10, 1000, 0.0625, 16, 512, seed);
  }

  @Test
  void sameSeed_sameSchedule_onTheMustHoldReplay() {
    Trace trace = TraceReaders.read(TRACES.resolve("invitro_sampled_2022_cb0077f3"), 20);
    Schedule first = ScheduleGenerator.generate(trace, options(42));
    Schedule second = ScheduleGenerator.generate(trace, options(42));

    assertThat(second).isEqualTo(first);
    assertThat(second.perFunction()).isEqualTo(first.perFunction());
    long total = trace.functions().subList(0, 20).stream().mapToLong(f -> f.invocations(600, 610)).sum();
    assertThat(first.invocations()).hasSize((int) total);
    assertThat(first.spanMillis()).isEqualTo(60_000);
  }

  @Test
  void differentSeed_sameCountsDifferentTimes() {
    Trace trace = TraceReaders.read(TRACES.resolve("invitro_sampled_2022_cb0077f3"), 20);
    Schedule a = ScheduleGenerator.generate(trace, options(1));
    Schedule b = ScheduleGenerator.generate(trace, options(2));
    assertThat(b.perFunction()).isEqualTo(a.perFunction());
    assertThat(b.invocations()).isNotEqualTo(a.invocations());
  }

  @Property(tries = 50)
  void anySeed_isDeterministicAndKeepsEveryCallInsideItsMinute(@ForAll long seed,
      @ForAll @IntRange(min = 0, max = 40) int perMinute, @ForAll @IntRange(min = 1, max = 20) int compress) {
    Trace trace = new Trace("synthetic", "test", List.of(new TraceFunction("h", new int[] {perMinute, 0,
        perMinute + 1}, DurationPercentiles.fixed(500), 1024)));
    ReplayOptions options = new ReplayOptions(1, false, 1, 4, compress, 1.0 / compress, 1, 10_000, 0.0625, 16, 512,
        seed);
    Schedule schedule = ScheduleGenerator.generate(trace, options);

    assertThat(ScheduleGenerator.generate(trace, options)).isEqualTo(schedule);
    assertThat(schedule.invocations()).hasSize(2 * perMinute + 1);
    double minuteMicros = 60_000_000.0 / compress;
    long inFirst = schedule.invocations().stream().filter(i -> i.atMicros() <= Math.round(minuteMicros)).count();
    assertThat(inFirst).isEqualTo(perMinute);
    assertThat(schedule.invocations()).allMatch(i -> i.atMicros() >= 0 && i.atMicros() <= 3 * minuteMicros);
    assertThat(schedule.invocations()).isSortedAccordingTo(
        java.util.Comparator.comparingLong(Invocation::atMicros));
    assertThat(schedule.functions().getFirst().memoryMiB()).isEqualTo(64);
  }

  @Property(tries = 30)
  void arrivals_areSortedOffsetsWithinTheMinute(@ForAll @IntRange(min = 1, max = 500) int calls,
      @ForAll @LongRange long seed) {
    double[] offsets = ScheduleGenerator.arrivalsInMinute(calls, new SplittableRandom(seed));
    assertThat(offsets).hasSize(calls);
    for (int i = 0; i < calls; i++) {
      assertThat(offsets[i]).isBetween(0.0, 1.0);
      if (i > 0) {
        assertThat(offsets[i]).isGreaterThanOrEqualTo(offsets[i - 1]);
      }
    }
  }
}
