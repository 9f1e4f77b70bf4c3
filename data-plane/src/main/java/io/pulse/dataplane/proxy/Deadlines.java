package io.pulse.dataplane.proxy;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The end-to-end deadlines of one event loop's exchanges, swept in one pass instead of a timer each (a Vert.x timer
 * per exchange cost a map entry, a task on the loop's heap and a cancel: ~4 % of the loop's samples). Exchanges with
 * the same timeout arrive in deadline order, so each timeout has a lane, a list in deadline order: adding and
 * removing are O(1), and a sweep stops at the first entry of each lane that is not due. Pure: the caller passes the
 * time in, and a thin adapter ({@link DeadlineSweeper}) sweeps. Confined to one thread.
 */
final class Deadlines {

  /** Something with a deadline; {@link #expired()} runs once if it is still here when the deadline passes. */
  abstract static class Entry {
    private long at;
    private @Nullable Lane lane;
    private @Nullable Entry previous;
    private @Nullable Entry next;

    /** The deadline passed: the entry has been removed already. */
    abstract void expired();

    boolean pending() {
      return lane != null;
    }
  }

  /** The entries of one timeout, in deadline order. */
  private static final class Lane {
    private final long timeoutNanos;
    private @Nullable Entry first;
    private @Nullable Entry last;

    Lane(long timeoutNanos) {
      this.timeoutNanos = timeoutNanos;
    }
  }

  private Lane[] lanes = new Lane[0];
  private int size;

  /** Adds {@code entry} (not pending) with a deadline {@code timeoutNanos} after {@code now}. */
  void add(Entry entry, long timeoutNanos, long now) {
    if (entry.pending()) {
      throw new IllegalStateException("entry already has a deadline");
    }
    Lane lane = lane(timeoutNanos);
    entry.at = now + timeoutNanos;
    entry.lane = lane;
    Entry last = lane.last;
    // The clock may be coarse or a manual one: keep the lane ordered even if `now` went back a little.
    if (last != null && last.at > entry.at) {
      entry.at = last.at;
    }
    entry.previous = last;
    entry.next = null;
    if (last == null) {
      lane.first = entry;
    } else {
      last.next = entry;
    }
    lane.last = entry;
    size++;
  }

  /** Takes {@code entry} out; nothing happens if it is not pending. */
  void remove(Entry entry) {
    Lane lane = entry.lane;
    if (lane == null) {
      return;
    }
    if (entry.previous == null) {
      lane.first = entry.next;
    } else {
      entry.previous.next = entry.next;
    }
    if (entry.next == null) {
      lane.last = entry.previous;
    } else {
      entry.next.previous = entry.previous;
    }
    entry.lane = null;
    entry.previous = null;
    entry.next = null;
    size--;
  }

  /** Removes every entry due at {@code now} and then tells it, earliest first per lane; answers how many. */
  int sweep(long now) {
    int expired = 0;
    for (Lane lane : lanes) {
      Entry first;
      while ((first = lane.first) != null && first.at - now <= 0) {
        remove(first);
        expired++;
        first.expired(); // may add or remove entries: the loop reads the lane again
      }
    }
    dropEmptyLanes();
    return expired;
  }

  /** Entries pending. */
  int size() {
    return size;
  }

  private Lane lane(long timeoutNanos) {
    for (Lane lane : lanes) {
      if (lane.timeoutNanos == timeoutNanos) {
        return lane;
      }
    }
    Lane lane = new Lane(timeoutNanos);
    lanes = Arrays.copyOf(lanes, lanes.length + 1);
    lanes[lanes.length - 1] = lane;
    return lane;
  }

  /** A lane lives while it has entries: the scan in {@link #lane} stays as short as the timeouts in use. */
  private void dropEmptyLanes() {
    int live = 0;
    for (Lane lane : lanes) {
      if (lane.first != null) {
        live++;
      }
    }
    if (live == lanes.length) {
      return;
    }
    Lane[] kept = new Lane[live];
    int i = 0;
    for (Lane lane : lanes) {
      if (lane.first != null) {
        kept[i++] = lane;
      }
    }
    lanes = kept;
  }
}
