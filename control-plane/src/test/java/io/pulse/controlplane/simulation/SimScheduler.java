package io.pulse.controlplane.simulation;

import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.BooleanSupplier;

/** One event queue and one manual clock for the whole simulation: events run one at a time, in (time, order). */
final class SimScheduler {

  private record Event(long at, long order, Runnable action) implements Comparable<Event> {
    @Override
    public int compareTo(Event other) {
      int byTime = Long.compare(at, other.at);
      return byTime != 0 ? byTime : Long.compare(order, other.order);
    }
  }

  final Random random;
  private final PriorityQueue<Event> queue = new PriorityQueue<>();
  private long now;
  private long order;
  private long executed;

  SimScheduler(Random random) {
    this.random = random;
  }

  long now() {
    return now;
  }

  long executed() {
    return executed;
  }

  void after(long delayMillis, Runnable action) {
    queue.add(new Event(now + Math.max(0, delayMillis), order++, action));
  }

  /** Runs {@code action} every {@code period} ms plus up to {@code jitter} ms, from a random phase. */
  void every(long period, long jitter, Runnable action) {
    after(random.nextLong(period), new Runnable() {
      @Override
      public void run() {
        action.run();
        after(period + (jitter == 0 ? 0 : random.nextLong(jitter)), this);
      }
    });
  }

  /**
   * Runs events until {@code done} holds or the clock passes {@code untilMillis}; {@code check} runs after every
   * event. Returns whether {@code done} held.
   */
  boolean runUntil(BooleanSupplier done, long untilMillis, Runnable check) {
    while (!done.getAsBoolean()) {
      Event next = queue.peek();
      if (next == null || next.at > untilMillis) {
        now = Math.max(now, untilMillis);
        return done.getAsBoolean();
      }
      queue.poll();
      now = next.at;
      next.action.run();
      executed++;
      check.run();
    }
    return true;
  }
}
