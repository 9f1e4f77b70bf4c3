package io.pulse.dataplane.tracks;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the track choice measures of one function, lock-free and without allocation on the request path: the start
 * times of its requests in flight on Regular Instances (a fixed set of cells; a request that finds none free is not
 * tracked), its last execution times (a ring), and its Emergency creations in flight (those bound to the request that
 * asked for them, and those whose instance goes to the first waiter).
 */
public final class FunctionTimes {

  static final int CELLS = 128;
  static final int SAMPLES = 64;
  private static final long FREE = 0;

  private final AtomicLongArray starts = new AtomicLongArray(CELLS);
  private final AtomicLongArray samples = new AtomicLongArray(SAMPLES);
  private final AtomicLong recorded = new AtomicLong();
  private final AtomicInteger creating = new AtomicInteger();
  /** Of {@link #creating}, those whose instance goes to whoever waits first when it is ready. */
  private final AtomicInteger unbound = new AtomicInteger();
  private final AtomicInteger nextCell = new AtomicInteger();
  /** When the current wait for a scale from zero began; FREE: none under way. */
  private final AtomicLong coldWaitSince = new AtomicLong(FREE);

  /** A Regular request began at {@code now}: the cell that holds its start, or -1 when it is not tracked. */
  public int began(long now) {
    long value = now == FREE ? 1 : now;
    if (coldWaitSince.get() != FREE) {
      coldWaitSince.set(FREE); // a Regular slot: the wait for a scale from zero, if any, is over
    }
    int from = nextCell.getAndIncrement() & (CELLS - 1);
    for (int i = 0; i < CELLS; i++) {
      int cell = (from + i) & (CELLS - 1);
      if (starts.get(cell) == FREE && starts.compareAndSet(cell, FREE, value)) {
        return cell;
      }
    }
    return -1;
  }

  /** The Regular request of {@code cell} ended (its slot is free again). */
  public void ended(int cell) {
    if (cell >= 0) {
      starts.set(cell, FREE);
    }
  }

  /** A request ran for {@code nanos} (either track). */
  public void executed(long nanos) {
    long n = recorded.getAndIncrement();
    samples.set((int) (n % SAMPLES), Math.max(1, nanos));
  }

  /** Start times of the tracked Regular requests in flight. */
  public long[] inFlightStarts() {
    long[] found = new long[CELLS];
    int n = 0;
    for (int i = 0; i < CELLS; i++) {
      long start = starts.get(i);
      if (start != FREE) {
        found[n++] = start;
      }
    }
    return Arrays.copyOf(found, n);
  }

  /** The last execution times, sorted ascending. */
  public long[] sortedExecutionTimes() {
    int n = (int) Math.min(SAMPLES, recorded.get());
    long[] copy = new long[n];
    for (int i = 0; i < n; i++) {
      copy[i] = samples.get(i);
    }
    Arrays.sort(copy);
    return copy;
  }

  /** The mean of the last execution times; 0 when none was recorded. */
  public long meanExecutionNanos() {
    long sum = 0;
    int n = 0;
    for (int i = 0; i < SAMPLES; i++) {
      long sample = samples.get(i);
      if (sample > 0) { // 0: a cell not written yet (a sample is at least 1), even one counted in recorded a moment ago
        sum += sample;
        n++;
      }
    }
    return n == 0 ? 0 : sum / n;
  }

  /**
   * When the function's wait for a scale from zero began: {@code now} if none was under way (it starts now). It
   * ends when a Regular request begins or with {@link #coldWaitEnded}.
   */
  public long coldWaitSince(long now) {
    long value = now == FREE ? 1 : now;
    return coldWaitSince.compareAndSet(FREE, value) ? value : coldWaitSince.get();
  }

  /** The wait for a scale from zero ended without a Regular slot (the request took the expedited track). */
  public void coldWaitEnded() {
    coldWaitSince.set(FREE);
  }

  /** Takes one of {@code cap} creation places; false when all are taken. */
  public boolean tryStartCreation(int cap) {
    while (true) {
      int now = creating.get();
      if (now >= cap) {
        return false;
      }
      if (creating.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  /** A creation started with {@link #tryStartCreation} ended, either way. */
  public void creationEnded() {
    creating.decrementAndGet();
  }

  public int creating() {
    return creating.get();
  }

  /** The creation just started with {@link #tryStartCreation} serves whoever waits first when it is ready. */
  public void startedUnbound() {
    unbound.incrementAndGet();
  }

  /** An unbound creation ended, either way: its place under the cap goes back too. */
  public void unboundEnded() {
    unbound.decrementAndGet();
    creating.decrementAndGet();
  }

  /** Unbound creations in flight: the first this many waiters are expected to be served by them. */
  public int unbound() {
    return unbound.get();
  }
}
