package io.pulse.bench.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.bench.trace.DurationPercentiles;
import io.pulse.bench.trace.Trace;
import io.pulse.bench.trace.TraceFunction;
import io.pulse.bench.trace.TraceReaders;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
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
    deterministicAndInsideItsMinute(seed, perMinute, compress);
  }

  /** A call at the very end of the last minute: it rounds to the microsecond just past the unrounded end. */
  @Example
  void aCallAtTheLastMinutesEnd_isInsideIt() {
    deterministicAndInsideItsMinute(-66, 21, 13);
  }

  private static void deterministicAndInsideItsMinute(long seed, int perMinute, int compress) {
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
    // Calls are on whole microseconds, so minute ends are too, as for the first minute above.
    assertThat(schedule.invocations())
        .allMatch(i -> i.atMicros() >= 0 && i.atMicros() <= Math.round(3 * minuteMicros));
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

  @Property(tries = 40)
  void leadIn_comesFirstUnmeasured_andLeavesTheMeasuredCallsAsTheyWere(@ForAll long seed,
      @ForAll @IntRange(min = 0, max = 30) int perMinute, @ForAll @IntRange(min = 0, max = 6) int leadIn,
      @ForAll @IntRange(min = 1, max = 20) int compress) {
    int[] perMinuteCalls = new int[12];
    for (int m = 0; m < perMinuteCalls.length; m++) {
      perMinuteCalls[m] = perMinute + m;
    }
    Trace trace = new Trace("synthetic", "test", List.of(new TraceFunction("h", perMinuteCalls,
        DurationPercentiles.fixed(500), 1024)));
    ReplayOptions window = new ReplayOptions(1, false, 5, 9, compress, 1.0 / compress, 1, 10_000, 0.0625, 16, 512,
        seed);
    Schedule without = ScheduleGenerator.generate(trace, window);
    Schedule with = ScheduleGenerator.generate(trace, window.withLeadIn(leadIn));

    // Minutes 5-8 measured; the lead-in takes up to 4 minutes before them (the trace starts at minute 1).
    int leadMinutes = Math.min(leadIn, 4);
    long leadInMicros = Math.round(leadMinutes * 60_000_000.0 / compress);
    assertThat(with.leadInMicros()).isEqualTo(leadInMicros);
    int leadCalls = 0;
    for (int m = 5 - leadMinutes; m < 5; m++) {
      leadCalls += perMinuteCalls[m - 1];
    }
    assertThat(with.invocations()).hasSize(without.invocations().size() + leadCalls);
    assertThat(with.invocations().stream().filter(i -> !with.measured(i))).hasSize(leadCalls)
        .allMatch(i -> i.atMicros() >= 0 && i.atMicros() < leadInMicros);
    assertThat(with.invocations().stream().filter(with::measured)
        .map(i -> new Invocation(i.function(), i.atMicros() - leadInMicros, i.durationMs())).toList())
        .isEqualTo(without.invocations());
    assertThat(with.measuredCount()).isEqualTo(without.invocations().size());
    assertThat(with.perFunction()).isEqualTo(without.perFunction());
    assertThat(with.spanMillis()).isEqualTo(without.spanMillis());
    assertThat(with.functions()).isEqualTo(without.functions());
  }

  @Test
  void leadIn_isBoundedAndNamed() {
    ReplayOptions window = options(1);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> window.withLeadIn(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lead-in");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> window.withLeadIn(ReplayOptions.MAX_LEAD_IN_MINUTES + 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lead-in must be 0..60");
    assertThat(window.withLeadIn(3).leadInFromMinute()).isEqualTo(597);
    assertThat(window.withLeadIn(3).leadInMinutes()).isEqualTo(3);
    assertThat(window.leadInFromMinute()).isEqualTo(600);
  }
}
