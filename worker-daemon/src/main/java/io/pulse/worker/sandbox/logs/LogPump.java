package io.pulse.worker.sandbox.logs;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a sandbox's output stream into its {@link RotatingLog}, a line at a time, until the stream ends. One platform
 * thread with a small stack per sandbox: a read blocked on a pipe would hold a virtual thread's carrier, and enough of
 * them would stall every virtual thread of the worker. It flushes whenever the stream has nothing more to give, so
 * readers see a line soon after it was printed, and buffers while output comes in bursts.
 */
public final class LogPump {

  /** A longer line is cut into lines of this size, so neither memory nor one stamp's line is unbounded. */
  public static final int MAX_LINE_BYTES = 16 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(LogPump.class);
  private static final long STACK_BYTES = 128 * 1024;

  private final CountDownLatch drained = new CountDownLatch(1);

  private LogPump() {}

  /** Starts copying {@code in} into {@code log}; both are closed when the stream ends. */
  public static LogPump start(String name, InputStream in, RotatingLog log) {
    LogPump pump = new LogPump();
    Thread.ofPlatform().daemon().name("pulse-log-" + name).stackSize(STACK_BYTES)
        .start(() -> pump.run(name, in, log));
    return pump;
  }

  /**
   * Waits until everything the sandbox printed is on disk, or the time is up (a child the sandbox left behind may
   * hold the stream open). True when drained.
   */
  public boolean awaitDrained(long timeoutMs) {
    try {
      return drained.await(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void run(String name, InputStream in, RotatingLog log) {
    Sink sink = new Sink(name, log);
    byte[] chunk = new byte[8192];
    byte[] line = new byte[MAX_LINE_BYTES];
    int lineLength = 0;
    try (in) {
      int n;
      while ((n = in.read(chunk)) >= 0) {
        for (int i = 0; i < n; i++) {
          byte b = chunk[i];
          if (b == '\n' || lineLength == line.length) {
            sink.line(line, lineLength);
            lineLength = 0;
            if (b == '\n') {
              continue;
            }
          }
          line[lineLength++] = b;
        }
        if (in.available() == 0) {
          sink.flush();
        }
      }
      if (lineLength > 0) {
        sink.line(line, lineLength);
      }
    } catch (IOException e) {
      // The stream broke (the process is gone): what was read is written below.
    } finally {
      sink.close();
      drained.countDown();
    }
  }

  /** The log as the pump uses it: a disk error stops the writing, never the reading, or the sandbox would block. */
  private static final class Sink {

    private final String name;
    private final RotatingLog log;
    private boolean broken;

    Sink(String name, RotatingLog log) {
      this.name = name;
      this.log = log;
    }

    void line(byte[] bytes, int length) {
      if (!broken) {
        guard(() -> log.line(bytes, length));
      }
    }

    void flush() {
      if (!broken) {
        guard(log::flush);
      }
    }

    void close() {
      guard(log::close);
    }

    private void guard(IoAction action) {
      try {
        action.run();
      } catch (IOException e) {
        if (!broken) {
          LOG.atWarn().setMessage("cannot write sandbox log; its output is dropped from here on")
              .addKeyValue("instance", name).addKeyValue("error", e.getMessage()).log();
        }
        broken = true;
      }
    }
  }

  private interface IoAction {
    void run() throws IOException;
  }
}
