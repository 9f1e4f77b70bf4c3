package io.pulse.worker.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

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

  /**
   * A shell command that writes the shell's pid as this JVM sees it to {@code file}. Not {@code echo $$}: the process
   * runtime runs functions in a PID namespace of their own, where {@code $$} is the namespace's number, while
   * {@code /proc} (the host's) names the reader by its host pid.
   */
  public static String writeOwnPid(String file) {
    return "read -r pid rest < /proc/self/stat; echo $pid > '" + file + "'";
  }

  /** A file's or directory's permissions as {@code ls} shows them, e.g. {@code rw-------}. */
  public static String permissions(Path path) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the permissions of " + path, e);
    }
  }

  /** The pid a test command wrote to a file with {@link #writeOwnPid}. */
  public static long readPid(Path file) {
    try {
      return Long.parseLong(Files.readString(file).strip());
    } catch (IOException e) {
      throw new IllegalStateException("no pid file " + file, e);
    }
  }
}
