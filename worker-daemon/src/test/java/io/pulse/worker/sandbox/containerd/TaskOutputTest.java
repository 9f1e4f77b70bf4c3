package io.pulse.worker.sandbox.containerd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.worker.sandbox.logs.LogFiles;
import io.pulse.worker.sandbox.logs.LogLine;
import io.pulse.worker.sandbox.logs.LogQuery;
import io.pulse.worker.sandbox.logs.RotatingLog;
import io.pulse.worker.testing.Processes;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FIFO between a task and its log, without containerd: a shell stands in for the shim, holding the FIFO open at
 * both ends as the shim does and writing what the test sends it.
 */
class TaskOutputTest {

  @TempDir Path dir;

  @Test
  void readerGoneWhileTheShimWrites_losesNothing_onceAnotherReaderReattaches() throws Exception {
    TaskOutput first = TaskOutput.open(dir, "t-1", RotatingLog.MIN_MAX_BYTES);
    Path fifo = dir.resolve(TaskOutput.FIFO);
    assertThat(Processes.permissions(fifo)).isEqualTo("rw-------");
    Path ready = dir.resolve("ready");
    Process shim = new ProcessBuilder("sh", "-c", "exec 3<>\"$1\"; echo one >&3; echo two >&3; : > \"$2\";"
        + " while IFS= read -r line; do echo \"$line\" >&3; done", "sh", fifo.toString(), ready.toString())
        .redirectErrorStream(true).start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(ready));
      // The worker dies before reading: its reader goes, the shim keeps the lines in the pipe.
      first.closeUnstarted();
      OutputStream toShim = shim.getOutputStream();
      toShim.write("three\n".getBytes(StandardCharsets.UTF_8));
      toShim.flush();

      TaskOutput second = TaskOutput.reattach(dir, "t-1", RotatingLog.MIN_MAX_BYTES).orElseThrow();
      toShim.write("four\n".getBytes(StandardCharsets.UTF_8));
      toShim.close();
      assertThat(shim.waitFor(10, TimeUnit.SECONDS)).isTrue();

      // The shim's end closed: the pump reads to the end and stops.
      assertThat(second.awaitDrained(10_000)).isTrue();
      assertThat(LogFiles.read(dir.resolve(TaskOutput.LOG), new LogQuery(10, 0))).extracting(LogLine::text)
          .containsExactly("one", "two", "three", "four");
    } finally {
      shim.destroyForcibly();
    }
  }

  @Test
  void reattach_withoutAFifo_isEmpty() throws Exception {
    assertThat(TaskOutput.reattach(dir, "t-2", RotatingLog.MIN_MAX_BYTES)).isEmpty();
  }
}
