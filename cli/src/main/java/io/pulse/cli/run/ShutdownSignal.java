package io.pulse.cli.run;

import java.util.concurrent.CountDownLatch;

/**
 * Runs a cleanup when the JVM is asked to stop (Ctrl-C, SIGTERM) and lets the main thread wait for that moment. The
 * cleanup runs inside the shutdown hook, so the JVM exits only once it is done: no sandbox outlives the process.
 */
final class ShutdownSignal {

  private final CountDownLatch stopped = new CountDownLatch(1);

  private ShutdownSignal() {}

  static ShutdownSignal install(Runnable cleanup) {
    ShutdownSignal signal = new ShutdownSignal();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        cleanup.run();
      } finally {
        signal.stopped.countDown();
      }
    }, "pulse-shutdown"));
    return signal;
  }

  /** Blocks the calling (main) thread until shutdown has begun. */
  void await() {
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
