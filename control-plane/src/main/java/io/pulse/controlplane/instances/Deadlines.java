package io.pulse.controlplane.instances;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every point in time the lifecycle waits for, by what it is for, ordered so that the earliest is found without a
 * scan: a burst of thousands of drains or tombstones costs O(log n) each. Not thread-safe: one context owns it.
 */
final class Deadlines {

  private final Map<Deadline, Long> at = new HashMap<>();
  private final TreeMap<Long, Set<Deadline>> byTime = new TreeMap<>();

  /** Sets (or moves) a deadline. */
  void put(Deadline deadline, long atMillis) {
    remove(deadline);
    at.put(deadline, atMillis);
    byTime.computeIfAbsent(atMillis, t -> new LinkedHashSet<>()).add(deadline);
  }

  void remove(Deadline deadline) {
    Long previous = at.remove(deadline);
    if (previous != null) {
      Set<Deadline> same = byTime.get(previous);
      same.remove(deadline);
      if (same.isEmpty()) {
        byTime.remove(previous);
      }
    }
  }

  /** When {@code deadline} falls, or {@link Long#MIN_VALUE} when it is not set. */
  long at(Deadline deadline) {
    return at.getOrDefault(deadline, Long.MIN_VALUE);
  }

  boolean contains(Deadline deadline) {
    return at.containsKey(deadline);
  }

  /** The earliest deadline's time, or {@link Long#MAX_VALUE} when none is set. */
  long next() {
    return byTime.isEmpty() ? Long.MAX_VALUE : byTime.firstKey();
  }

  /** Removes and returns every deadline at or before {@code nowMillis}, earliest first. */
  List<Deadline> takeDue(long nowMillis) {
    List<Deadline> due = new ArrayList<>();
    while (!byTime.isEmpty() && byTime.firstKey() <= nowMillis) {
      for (Deadline deadline : byTime.pollFirstEntry().getValue()) {
        at.remove(deadline);
        due.add(deadline);
      }
    }
    return due;
  }
}
