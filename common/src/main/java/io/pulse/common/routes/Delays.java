package io.pulse.common.routes;

/** Runs an action after a delay: Vert.x's {@code setTimer}, a virtual thread that sleeps, or a test's manual timer. */
@FunctionalInterface
public interface Delays {

  void after(long delayMillis, Runnable action);

  /** Each action on its own virtual thread, after sleeping (an interrupted sleep drops the action). */
  static Delays virtualThreads(String name) {
    return (delayMillis, action) -> Thread.ofVirtual().name(name).start(() -> {
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        return;
      }
      action.run();
    });
  }
}
