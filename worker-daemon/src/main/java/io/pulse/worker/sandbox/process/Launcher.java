package io.pulse.worker.sandbox.process;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Starts every sandbox process from one long-lived platform thread. The kernel sends a parent-death signal
 * ({@code setpriv --pdeathsig}, see {@link Containment}) when the <em>thread</em> that forked the child ends, not the
 * process: started from a virtual thread, a sandbox would be killed whenever its carrier thread retired. This thread
 * ends only at {@link #close()}, after every sandbox is gone, or with the JVM.
 */
final class Launcher implements AutoCloseable {

  // Not Executors.newSingleThreadExecutor(): that one shuts itself down once unreachable (a Cleaner), and a
  // worker that crashed without closing its runtime must keep its processes until they are re-adopted or killed.
  private final ThreadPoolExecutor thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
      new LinkedBlockingQueue<>(), task -> {
        Thread t = new Thread(task, "pulse-process-launcher");
        t.setDaemon(true);
        return t;
      });

  /** Blocks until the process started (call off the event loop); the task never throws out of the thread. */
  Process start(ProcessBuilder builder) throws IOException {
    Future<Process> started;
    try {
      started = thread.submit(builder::start);
    } catch (RejectedExecutionException e) {
      throw new IOException("the process launcher is closed", e);
    }
    try {
      return started.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting a process", e);
    }
  }

  @Override
  public void close() {
    thread.shutdown();
  }
}
