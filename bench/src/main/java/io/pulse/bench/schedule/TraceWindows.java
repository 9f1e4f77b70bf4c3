package io.pulse.bench.schedule;

import io.pulse.bench.trace.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws replay windows from a trace by seed: for each, a minute range of {@code minutes} minutes and a seeded sample
 * of functions. Pure: the same trace, options and seed give the same windows, so a set of windows can be fixed before
 * tuning and never looked at while tuning. A window with fewer than {@code minInvocations} calls is drawn again
 * (an idle window compares nothing), up to a bounded number of tries.
 */
public final class TraceWindows {

  private static final int TRIES_PER_WINDOW = 50;

  private TraceWindows() {}

  /**
   * @param base the replay's scaling ({@code functions}, compression, duration and memory bounds); its minutes and
   *     seed are replaced per window, and its function choice is a seeded sample; each window keeps its lead-in
   * @param minutes length of each window in trace minutes
   */
  public static List<ReplayOptions> draw(Trace trace, ReplayOptions base, int windows, int minutes,
      int minInvocations, long seed) {
    if (windows < 1) {
      throw new IllegalArgumentException("windows must be >= 1, was " + windows);
    }
    int traceMinutes = trace.functions().stream().mapToInt(f -> f.minutes()).max().orElse(0);
    if (minutes < 1 || minutes >= traceMinutes) {
      throw new IllegalArgumentException("window length must be in 1.." + (traceMinutes - 1) + " minutes, was "
          + minutes);
    }
    SplittableRandom random = new SplittableRandom(seed);
    List<ReplayOptions> drawn = new ArrayList<>();
    for (int w = 0; w < windows; w++) {
      ReplayOptions candidate = null;
      for (int attempt = 0; attempt < TRIES_PER_WINDOW; attempt++) {
        int from = 1 + random.nextInt(traceMinutes - minutes + 1);
        candidate = new ReplayOptions(base.functions(), true, from, from + minutes, base.compress(),
            base.durationScale(), base.minDurationMs(), base.maxDurationMs(), base.memoryScale(),
            base.minMemoryMiB(), base.maxMemoryMiB(), random.nextLong(), base.leadInMinutes());
        if (ScheduleGenerator.generate(trace, candidate).measuredCount() >= minInvocations) {
          break;
        }
      }
      drawn.add(candidate);
    }
    return List.copyOf(drawn);
  }
}
