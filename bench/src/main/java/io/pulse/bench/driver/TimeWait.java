package io.pulse.bench.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The TCP sockets in TIME_WAIT that involve one port (the instance's), from {@code /proc/net/tcp} and {@code tcp6}:
 * each one's local and remote address as the kernel writes them. A set taken before a measured interval and one after
 * tell the sockets that interval left behind (a 4-tuple in TIME_WAIT is not reused while it lasts).
 */
public final class TimeWait {

  /** The kernel's state number for TIME_WAIT ({@code TCP_TIME_WAIT}). */
  private static final String TIME_WAIT = "06";

  private TimeWait() {}

  /** The TIME_WAIT sockets whose local or remote port is {@code port}; empty without {@code /proc}. */
  public static Set<String> sockets(int port) {
    Set<String> found = new HashSet<>();
    for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
      try {
        for (String line : Files.readAllLines(Path.of(table))) {
          String socket = timeWait(line, port);
          if (socket != null) {
            found.add(socket);
          }
        }
      } catch (IOException | RuntimeException e) {
        // no such table here
      }
    }
    return found;
  }

  /** "local remote" of one table line if it is in TIME_WAIT and involves {@code port}, else null. */
  static String timeWait(String line, int port) {
    String[] fields = line.trim().split("\\s+");
    if (fields.length < 4 || !TIME_WAIT.equals(fields[3])) {
      return null;
    }
    String hex = ":" + String.format(Locale.ROOT, "%04X", port);
    return fields[1].endsWith(hex) || fields[2].endsWith(hex) ? fields[1] + " " + fields[2] : null;
  }
}
