package io.pulse.bench.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The CPU time a process has used, all its threads together: utime + stime from {@code /proc/<pid>/stat}, in clock
 * ticks of 10 ms (Linux's USER_HZ is 100). Read it before and after a measured interval.
 */
public final class ProcessCpu {

  static final long MICROS_PER_TICK = 10_000;

  private ProcessCpu() {}

  /** CPU time in user space and in the kernel (microseconds), as one reading. */
  public record Times(long userMicros, long systemMicros) {

    public long totalMicros() {
      return userMicros + systemMicros;
    }
  }

  /** CPU microseconds {@code pid} has used so far; empty without {@code /proc} or once the process is gone. */
  public static OptionalLong micros(long pid) {
    return times(pid).map(t -> OptionalLong.of(t.totalMicros())).orElse(OptionalLong.empty());
  }

  /**
   * User and system CPU {@code pid} has used so far, read together from one {@code stat} line; empty without
   * {@code /proc} or once the process is gone.
   */
  public static Optional<Times> times(long pid) {
    try {
      return Optional.of(times(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * CPU microseconds the threads of {@code pid} whose name starts with {@code prefix} have used so far (names as the
   * kernel keeps them: the first 15 characters); empty without {@code /proc}.
   */
  public static OptionalLong threadMicros(long pid, String prefix) {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    try (var threads = Files.list(tasks)) {
      long ticks = 0;
      for (Path thread : threads.toList()) {
        try {
          String stat = Files.readString(thread.resolve("stat"));
          if (name(stat).startsWith(prefix)) {
            ticks += ticks(stat);
          }
        } catch (IOException ended) {
          // the thread ended meanwhile
        }
      }
      return OptionalLong.of(ticks * MICROS_PER_TICK);
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /** The command (thread) name of a {@code stat} line. */
  static String name(String stat) {
    return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  }

  /**
   * utime + stime of a {@code stat} line (fields 14 and 15). The command name (field 2) is in parentheses and may
   * hold spaces and parentheses itself, so the fields are counted from the last ')'.
   */
  static long ticks(String stat) {
    Times times = times(stat);
    return (times.userMicros() + times.systemMicros()) / MICROS_PER_TICK;
  }

  /** utime (field 14) and stime (field 15) of a {@code stat} line, in microseconds. */
  static Times times(String stat) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    // fields[0] is field 3 (the state)
    return new Times(Long.parseLong(fields[14 - 3]) * MICROS_PER_TICK, Long.parseLong(fields[15 - 3]) * MICROS_PER_TICK);
  }
}
