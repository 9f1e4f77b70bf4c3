package io.pulse.common.testing;

import io.pulse.common.time.Timers;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Timers on a manual clock: nothing runs until the test {@link #advance advances} time, and then every action due runs
 * on the test's thread, earliest first (ties in the order they were scheduled), including those that actions schedule
 * meanwhile. {@link #clock()} is the same time, for the code under test's clock. Not thread-safe.
 */
public final class ManualTimers implements Timers {

  /** A pending action: when it falls due and after what delay it was scheduled. */
  public record Pending(long atMillis, long delayMillis) {}

  private record Key(long atMillis, long sequence) implements Comparable<Key> {
    @Override
    public int compareTo(Key other) {
      int byTime = Long.compare(atMillis, other.atMillis);
      return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
    }
  }

  private record Entry(long delayMillis, Runnable action) {}

  private final TreeMap<Key, Entry> pending = new TreeMap<>();
  private long now;
  private long sequence;

  public ManualTimers() {
    this(0);
  }

  public ManualTimers(long startMillis) {
    this.now = startMillis;
  }

  @Override
  public Timer schedule(long delayMillis, Runnable action) {
    long delay = Math.max(1, delayMillis);
    Key key = new Key(now + delay, sequence++);
    pending.put(key, new Entry(delay, action));
    return () -> pending.remove(key);
  }

  /** Milliseconds since the epoch, as the timers see them. */
  public long now() {
    return now;
  }

  public LongSupplier clock() {
    return this::now;
  }

  /** Moves time forward by {@code millis}, running every action that falls due on the way, each at its time. */
  public void advance(long millis) {
    long until = now + millis;
    while (!pending.isEmpty() && pending.firstKey().atMillis() <= until) {
      var next = pending.pollFirstEntry();
      now = Math.max(now, next.getKey().atMillis());
      next.getValue().action().run();
    }
    now = until;
  }

  /** Runs what is due at the next pending time (moving time there); false when nothing is pending. */
  public boolean runNext() {
    if (pending.isEmpty()) {
      return false;
    }
    advance(pending.firstKey().atMillis() - now);
    return true;
  }

  /** What is scheduled and not yet run nor cancelled, earliest first. */
  public List<Pending> pending() {
    List<Pending> all = new ArrayList<>();
    pending.forEach((key, entry) -> all.add(new Pending(key.atMillis(), entry.delayMillis())));
    return all;
  }
}
