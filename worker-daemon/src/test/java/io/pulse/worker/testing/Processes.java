package io.pulse.worker.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Process checks for tests. */
public final class Processes {

  private Processes() {}

  /**
   * True while the process exists and is not a zombie. Zombies count as gone: an orphaned grandchild that exited waits
   * for its new parent to reap it, and the init process of some containers never does.
   */
  public static boolean isRunning(long pid) {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    try {
      String text = Files.readString(stat);
      int close = text.lastIndexOf(')');
      return text.charAt(close + 2) != 'Z';
    } catch (IOException e) {
      return false;
    }
  }

  /** The pid a test command wrote to a file with {@code echo $$ > file}. */
  public static long readPid(Path file) {
    try {
      return Long.parseLong(Files.readString(file).strip());
    } catch (IOException e) {
      throw new IllegalStateException("no pid file " + file, e);
    }
  }
}
