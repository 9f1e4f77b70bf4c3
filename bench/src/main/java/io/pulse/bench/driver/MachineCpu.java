package io.pulse.bench.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The machine's CPU time (all cores, the first line of {@code /proc/stat}) and this JVM's, read together, so that a
 * run can say how busy the machine was while it ran and how much of that was its own. On two shared cores a run
 * beside another load is not the run it claims to be; this is how the report shows it.
 */
public final class MachineCpu {

  private MachineCpu() {}

  /**
   * One reading.
   *
   * @param busyTicks clock ticks of all cores not idle and not waiting on I/O, since boot
   * @param totalTicks all clock ticks of all cores, since boot
   * @param ownMicros this JVM's CPU time so far
   * @param nanos {@link System#nanoTime()} at the reading
   * @param cores the machine's cores as {@code /proc/stat} counts them (all of them, whatever this JVM may use)
   */
  public record Reading(long busyTicks, long totalTicks, long ownMicros, long nanos, int cores) {}

  /**
   * Cores in use between two readings, on average.
   *
   * @param cores the machine's cores
   * @param busyCores all processes together
   * @param ownCores this JVM
   */
  public record Use(int cores, double busyCores, double ownCores) {

    /** What the rest of the machine used: anything but this JVM (on the fake runtime, nothing the run needs). */
    public double otherCores() {
      return Math.max(0, busyCores - ownCores);
    }
  }

  /** Now; empty without {@code /proc}. */
  public static Optional<Reading> read() {
    try {
      String stat = Files.readString(Path.of("/proc/stat"));
      long[] ticks = ticks(stat.substring(0, stat.indexOf('\n')));
      long own = ProcessCpu.micros(ProcessHandle.current().pid()).orElseThrow();
      return Optional.of(new Reading(ticks[0], ticks[1], own, System.nanoTime(), cores(stat)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** From {@code before} to {@code after}. */
  public static Use between(Reading before, Reading after) {
    long total = after.totalTicks() - before.totalTicks();
    double busy = total <= 0 ? 0 : (double) (after.busyTicks() - before.busyTicks()) / total * after.cores();
    long nanos = after.nanos() - before.nanos();
    double own = nanos <= 0 ? 0 : (after.ownMicros() - before.ownMicros()) * 1_000.0 / nanos;
    return new Use(after.cores(), busy, own);
  }

  /** The per-core lines ({@code cpu0}, {@code cpu1}, ...) of {@code /proc/stat}. */
  static int cores(String stat) {
    int cores = 0;
    for (String line : stat.split("\n")) {
      if (line.startsWith("cpu") && line.length() > 3 && Character.isDigit(line.charAt(3))) {
        cores++;
      }
    }
    return Math.max(1, cores);
  }

  /**
   * {busy, total} ticks of the aggregate {@code cpu} line: user, nice, system, idle, iowait, irq, softirq, steal
   * (guest time is already in user); idle and iowait are not busy.
   */
  static long[] ticks(String cpuLine) {
    String[] fields = cpuLine.trim().split("\\s+");
    if (!fields[0].equals("cpu")) {
      throw new IllegalArgumentException("not the aggregate cpu line of /proc/stat: " + cpuLine);
    }
    long total = 0;
    for (int i = 1; i <= Math.min(8, fields.length - 1); i++) {
      total += Long.parseLong(fields[i]);
    }
    long idle = Long.parseLong(fields[4]) + (fields.length > 5 ? Long.parseLong(fields[5]) : 0);
    return new long[] {total - idle, total};
  }
}
