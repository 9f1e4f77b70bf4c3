package io.pulse.worker.sandbox.containerd;

import io.pulse.worker.sandbox.logs.LogPump;
import io.pulse.worker.sandbox.logs.RotatingLog;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A task's stdout and stderr, bounded like the process runtime's output: the shim writes both into one FIFO in the
 * instance's directory and a {@link LogPump} stamps each line into a {@link RotatingLog} ({@value #LOG}, rotated at
 * the worker's {@code --log-max-bytes}). Not containerd's {@code file://} output: the shim appends to such a file
 * without bound, and nobody else may rotate it.
 *
 * <p>The shim holds the FIFO open at both ends for as long as the task runs, so a worker that dies loses nothing:
 * once the pipe is full the task's writes wait, until the next worker {@link #reattach}es in {@code recover()}.
 */
final class TaskOutput {

  static final String FIFO = "output.fifo";
  static final String LOG = "output.log";

  private final String instanceId;
  private final FileInputStream reader;
  private final RotatingLog log;
  private volatile @Nullable LogPump pump;

  private TaskOutput(String instanceId, FileInputStream reader, RotatingLog log) {
    this.instanceId = instanceId;
    this.reader = reader;
    this.log = log;
  }

  /**
   * Makes the FIFO (mode 0600) in {@code dir} and opens its reading end, before the task is created: the shim's
   * opening of the writing end waits for a reader. {@link #start()} once the task exists.
   */
  static TaskOutput open(Path dir, String instanceId, long maxBytes) throws IOException {
    Path fifo = dir.resolve(FIFO);
    if (!Files.exists(fifo, LinkOption.NOFOLLOW_LINKS)) {
      mkfifo(fifo);
    }
    FileInputStream reader = openReader(fifo);
    try {
      return new TaskOutput(instanceId, reader, new RotatingLog(dir.resolve(LOG), maxBytes,
          System::currentTimeMillis));
    } catch (IOException | RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  /** The output of a task a previous worker started, pumped again from where it stopped; empty without a FIFO. */
  static Optional<TaskOutput> reattach(Path dir, String instanceId, long maxBytes) throws IOException {
    if (!Files.exists(dir.resolve(FIFO), LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    TaskOutput output = open(dir, instanceId, maxBytes);
    output.start();
    return Optional.of(output);
  }

  /** What to give containerd as the task's stdout and stderr (a bare path: a FIFO, in the shim's terms). */
  static String fifo(Path dir) {
    return dir.resolve(FIFO).toString();
  }

  /** Starts copying; the pump closes the reader and the log when every writer (the shim) has gone. */
  void start() {
    pump = LogPump.start(instanceId, reader, log);
  }

  /** Waits until everything the task printed is in the log (true), or the time is up; false when never started. */
  boolean awaitDrained(long timeoutMs) {
    LogPump started = pump;
    return started != null && started.awaitDrained(timeoutMs);
  }

  /** For a creation that failed before {@link #start()}: nothing will read, so close both ends of ours now. */
  void closeUnstarted() {
    if (pump != null) {
      return;
    }
    try (reader; log) {
      // Closed by the try.
    } catch (IOException e) {
      // The instance's directory goes with the failed creation.
    }
  }

  /**
   * The FIFO's reading end, without waiting for a writer: opening it read-write never blocks (Linux), and while
   * that handle is open a read-only open finds a writer at once. The read-only handle then sees end-of-file only when
   * the shim's writers are gone.
   */
  private static FileInputStream openReader(Path fifo) throws IOException {
    try (RandomAccessFile keeper = new RandomAccessFile(fifo.toFile(), "rw")) {
      return new FileInputStream(fifo.toFile());
    }
  }

  private static void mkfifo(Path fifo) throws IOException {
    Process process = new ProcessBuilder("mkfifo", "-m", "600", fifo.toString()).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IOException("mkfifo " + fifo + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while making " + fifo, e);
    }
  }
}
