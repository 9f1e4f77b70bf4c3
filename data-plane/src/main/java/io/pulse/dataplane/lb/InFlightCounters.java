package io.pulse.dataplane.lb;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * In-flight requests per instance id. Lives outside the routing table so that a table swap (which replaces every
 * route object) does not forget the requests already running on an instance.
 */
public final class InFlightCounters {

  private final ConcurrentHashMap<String, AtomicInteger> counters = new ConcurrentHashMap<>();

  AtomicInteger counter(String instanceId) {
    return counters.computeIfAbsent(instanceId, id -> new AtomicInteger());
  }

  public int inFlight(String instanceId) {
    AtomicInteger counter = counters.get(instanceId);
    return counter == null ? 0 : counter.get();
  }

  public boolean isEmpty() {
    return counters.isEmpty();
  }

  /**
   * Forgets idle counters of instances that left the table. A lease taken just before keeps its own reference to the
   * counter, so its release still balances.
   */
  public void retainOnly(Set<String> liveInstanceIds) {
    counters.entrySet().removeIf(e -> !liveInstanceIds.contains(e.getKey()) && e.getValue().get() == 0);
  }

  int size() {
    return counters.size();
  }
}
