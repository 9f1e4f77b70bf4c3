package io.pulse.bench.schedule;

import io.pulse.bench.trace.Trace;
import io.pulse.bench.trace.TraceFunction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/** Trace + options + seed to a schedule; pure and deterministic. */
public final class ScheduleGenerator {

  private static final long LEAD_IN_STREAM = 0x1EAD_1EADL;

  private ScheduleGenerator() {}

  public static Schedule generate(Trace trace, ReplayOptions options) {
    List<Integer> chosen = choose(trace.functions().size(), options);
    List<FunctionPlan> plans = new ArrayList<>();
    List<Invocation> invocations = new ArrayList<>();
    double minuteMicros = 60_000_000 / options.compress();
    long leadInMicros = Math.round((options.fromMinute() - options.leadInFromMinute()) * minuteMicros);
    for (int n = 0; n < chosen.size(); n++) {
      TraceFunction function = trace.functions().get(chosen.get(n));
      String name = "f" + n;
      // One stream per function (derived from the seed and the position), so adding a function moves no other;
      // the lead-in draws from a stream of its own, so a window's measured calls are the same with or without one.
      SplittableRandom random = new SplittableRandom(options.seed() * 0x9E3779B97F4A7C15L + n);
      SplittableRandom leadIn = new SplittableRandom((options.seed() ^ LEAD_IN_STREAM) * 0x9E3779B97F4A7C15L + n);
      for (int minute = options.leadInFromMinute(); minute < options.fromMinute(); minute++) {
        double base = (minute - options.leadInFromMinute()) * minuteMicros;
        for (Invocation call : minute(function, name, options, minute, 0, base, minuteMicros, leadIn)) {
          invocations.add(new Invocation(name, Math.min(call.atMicros(), leadInMicros - 1), call.durationMs()));
        }
      }
      int count = 0;
      for (int minute = options.fromMinute(); minute < options.toMinute(); minute++) {
        // Shifted by the lead-in after rounding, so each measured call is exactly where it is without one.
        double base = (minute - options.fromMinute()) * minuteMicros;
        List<Invocation> calls = minute(function, name, options, minute, leadInMicros, base, minuteMicros, random);
        invocations.addAll(calls);
        count += calls.size();
      }
      plans.add(new FunctionPlan(name, function.hash(), memory(function.memoryMb(), options),
          clamp(function.durations().average() * options.durationScale(), options), count));
    }
    invocations.sort(Comparator.comparingLong(Invocation::atMicros).thenComparing(Invocation::function));
    return new Schedule(plans, invocations, options.spanMillis(), leadInMicros);
  }

  /** The calls of one trace minute of {@code function}, starting {@code shift + base} µs into the replay. */
  private static List<Invocation> minute(TraceFunction function, String name, ReplayOptions options, int minute,
      long shift, double base, double minuteMicros, SplittableRandom random) {
    int calls = minute <= function.minutes() ? function.perMinute()[minute - 1] : 0;
    List<Invocation> out = new ArrayList<>(calls);
    for (double offset : arrivalsInMinute(calls, random)) {
      int duration = duration(function, options, random.nextDouble());
      out.add(new Invocation(name, shift + Math.round(base + offset * minuteMicros), duration));
    }
    return out;
  }

  /**
   * Offsets in [0,1) of {@code calls} arrivals within a minute: cumulative sums of {@code calls + 1} exponential
   * gaps, divided by their total (a Poisson process conditioned on its count).
   */
  static double[] arrivalsInMinute(int calls, SplittableRandom random) {
    double[] offsets = new double[calls];
    if (calls == 0) {
      return offsets;
    }
    double sum = 0;
    for (int i = 0; i < calls; i++) {
      sum += -Math.log(1 - random.nextDouble());
      offsets[i] = sum;
    }
    sum += -Math.log(1 - random.nextDouble());
    for (int i = 0; i < calls; i++) {
      offsets[i] /= sum;
    }
    return offsets;
  }

  private static List<Integer> choose(int available, ReplayOptions options) {
    int n = Math.min(options.functions(), available);
    List<Integer> all = new ArrayList<>(IntStream.range(0, available).boxed().toList());
    if (!options.sample()) {
      return all.subList(0, n);
    }
    Collections.shuffle(all, new java.util.Random(options.seed()));
    List<Integer> picked = new ArrayList<>(all.subList(0, n));
    picked.sort(Integer::compare);
    return picked;
  }

  private static int duration(TraceFunction function, ReplayOptions options, double uniform) {
    return (int) Math.round(clamp(function.durations().sample(uniform) * options.durationScale(), options));
  }

  private static double clamp(double ms, ReplayOptions options) {
    return Math.min(options.maxDurationMs(), Math.max(options.minDurationMs(), ms));
  }

  private static int memory(double mb, ReplayOptions options) {
    long scaled = Math.round(mb * options.memoryScale());
    return (int) Math.min(options.maxMemoryMiB(), Math.max(options.minMemoryMiB(), scaled));
  }
}
