package io.pulse.worker.sandbox.logs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.List;

/** Reads what a {@link RotatingLog} wrote: the rotated generation, then the current one. */
public final class LogFiles {

  private LogFiles() {}

  /**
   * The newest {@code query.tail()} lines read at or after {@code query.sinceMs()}, oldest first. A line printed while
   * the file rotates under the reader may be missed or returned twice.
   */
  public static List<LogLine> read(Path file, LogQuery query) throws IOException {
    ArrayDeque<String> kept = new ArrayDeque<>(Math.min(query.tail(), 1024));
    boolean reachedSince = query.sinceMs() == 0;
    // Stamps have a fixed width and sort as text in time order: a follower's frequent reads parse no dates.
    String sinceStamp = RotatingLog.STAMP.format(Instant.ofEpochMilli(query.sinceMs()));
    for (Path generation : List.of(RotatingLog.rotated(file), file)) {
      try (BufferedReader reader = new BufferedReader(
          new InputStreamReader(Files.newInputStream(generation), StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          // Lines are in time order: once one is recent enough, so are all that follow.
          if (!reachedSince && line.compareTo(sinceStamp) < 0) {
            continue;
          }
          reachedSince = true;
          if (kept.size() == query.tail()) {
            kept.removeFirst();
          }
          kept.addLast(line);
        }
      } catch (NoSuchFileException e) {
        // Not rotated yet, or the instance printed nothing.
      }
    }
    return kept.stream().map(LogFiles::parse).toList();
  }

  private static LogLine parse(String line) {
    long time = timeMs(line);
    return new LogLine(time, time < 0 ? line : line.substring(RotatingLog.STAMP_LENGTH));
  }

  /** The stamp's time, or -1 for a line without one. */
  private static long timeMs(String line) {
    if (line.length() < RotatingLog.STAMP_LENGTH || line.charAt(RotatingLog.STAMP_LENGTH - 1) != ' ') {
      return -1;
    }
    try {
      return Instant.parse(line.substring(0, RotatingLog.STAMP_LENGTH - 1)).toEpochMilli();
    } catch (DateTimeParseException e) {
      return -1;
    }
  }
}
