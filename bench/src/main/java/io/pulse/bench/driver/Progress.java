package io.pulse.bench.driver;

import java.io.PrintStream;
import java.util.function.Supplier;

/** A progress line rewritten once a second on the terminal while a run lasts. */
public final class Progress implements AutoCloseable {

  private final Thread thread;
  private final PrintStream out;
  private final Supplier<String> line;
  private volatile boolean running = true;

  public Progress(PrintStream out, Supplier<String> line) {
    this.out = out;
    this.line = line;
    this.thread = Thread.ofPlatform().daemon().name("bench-progress").start(this::loop);
  }

  private void loop() {
    while (running) {
      out.print("\r" + line.get() + "   ");
      out.flush();
      try {
        Thread.sleep(1_000); // a display refresh, not a wait for a condition
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    out.println("\r" + line.get() + "   ");
  }
}
