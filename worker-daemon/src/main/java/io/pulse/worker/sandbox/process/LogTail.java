package io.pulse.worker.sandbox.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The last lines of a sandbox's log, for error messages. */
final class LogTail {

  private static final int MAX_BYTES = 2048;

  private LogTail() {}

  static String lastLines(Path log, int lines) {
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long length = file.length();
      int size = (int) Math.min(length, MAX_BYTES);
      byte[] bytes = new byte[size];
      file.seek(length - size);
      file.readFully(bytes);
      List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).strip().split("\n"));
      List<String> tail = all.subList(Math.max(0, all.size() - lines), all.size());
      return String.join("\n", tail);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
