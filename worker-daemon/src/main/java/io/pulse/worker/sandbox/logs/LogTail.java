package io.pulse.worker.sandbox.logs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** The last lines of a sandbox's log, without their time stamps, for error messages. */
public final class LogTail {

  private static final int MAX_CHARS = 2048;

  private LogTail() {}

  public static String lastLines(Path log, int lines) {
    try {
      String tail = LogFiles.read(log, new LogQuery(lines, 0)).stream().map(LogLine::text)
          .collect(Collectors.joining("\n")).strip();
      return tail.length() <= MAX_CHARS ? tail : tail.substring(tail.length() - MAX_CHARS);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
