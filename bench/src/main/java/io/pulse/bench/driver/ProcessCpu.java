package io.pulse.bench.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The CPU time a process has used, all its threads together: utime + stime from {@code /proc/<pid>/stat}, in clock
 * ticks of 10 ms (Linux's USER_HZ is 100). Read it before and after a measured interval.
 */
public final class ProcessCpu {

  static final long MICROS_PER_TICK = 10_000;

  private ProcessCpu() {}

  /** CPU microseconds {@code pid} has used so far; empty without {@code /proc} or once the process is gone. */
  public static OptionalLong micros(long pid) {
    try {
      return OptionalLong.of(ticks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))) * MICROS_PER_TICK);
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
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
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    // fields[0] is field 3 (the state)
    return Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
  }
}
