package io.pulse.worker.sandbox.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingLogTest {

  private static final long BOUND = RotatingLog.MIN_MAX_BYTES;

  @TempDir
  Path dir;

  private final AtomicLong clock = new AtomicLong(1_780_000_000_000L);

  @Test
  void rotatesBeforeTheBoundAndKeepsOneOlderFile() throws Exception {
    Path file = dir.resolve("output.log");
    try (RotatingLog log = new RotatingLog(file, BOUND, clock::get)) {
      for (int i = 0; i < 20_000; i++) {
        write(log, "line " + i);
      }
    }

    assertThat(Files.size(file)).isLessThanOrEqualTo(BOUND);
    assertThat(Files.size(RotatingLog.rotated(file))).isLessThanOrEqualTo(BOUND);
    assertThat(Files.exists(file.resolveSibling("output.log.2"))).isFalse();
    List<LogLine> tail = LogFiles.read(file, new LogQuery(2, 0));
    assertThat(tail).containsExactly(new LogLine(clock.get(), "line 19998"), new LogLine(clock.get(), "line 19999"));
  }

  @Test
  void readsAcrossTheRotatedFileByTailAndSince() throws Exception {
    Path file = dir.resolve("output.log");
    try (RotatingLog log = new RotatingLog(file, BOUND, clock::get)) {
      for (int i = 0; i < 3_000; i++) {
        clock.incrementAndGet();
        write(log, "n" + i);
      }
    }
    assertThat(Files.exists(RotatingLog.rotated(file))).as("the test spans a rotation").isTrue();
    long since = clock.get() - 2_499;

    List<LogLine> lines = LogFiles.read(file, new LogQuery(LogQuery.MAX_TAIL, since));

    assertThat(lines).hasSize(2_500);
    assertThat(lines.getFirst()).isEqualTo(new LogLine(since, "n500"));
    assertThat(lines.getLast()).isEqualTo(new LogLine(clock.get(), "n2999"));
    assertThat(LogFiles.read(file, new LogQuery(1, since))).containsExactly(new LogLine(clock.get(), "n2999"));
  }

  @Test
  void readsNothingFromAMissingLog() throws Exception {
    assertThat(LogFiles.read(dir.resolve("none.log"), new LogQuery(5, 0))).isEmpty();
  }

  private static void write(RotatingLog log, String text) throws Exception {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    log.line(bytes, bytes.length);
  }
}
