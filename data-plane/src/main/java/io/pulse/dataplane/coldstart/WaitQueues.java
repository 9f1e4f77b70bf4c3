package io.pulse.dataplane.coldstart;

import io.pulse.dataplane.coldstart.ColdStartException.Reason;
import io.pulse.dataplane.routing.RoutingTable;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link WaitQueue} per function, and the wake-ups that drive them: a freed slot wakes its function, a routing
 * swap wakes every function with waiters (new instances, more slots) and fails the waiters of removed functions.
 *
 * @param <T> what a slot is
 */
public final class WaitQueues<T> {

  /** The slot source of a function, read from the current routing table at every attempt. */
  @FunctionalInterface
  public interface SlotsByFunction<T> {
    WaitQueue.Slots<T> slotsOf(String function);
  }

  private final int capacity;
  private final SlotsByFunction<T> slots;
  // Queues are never removed: a request racing with a removal must find the same queue that failAll emptied.
  private final ConcurrentHashMap<String, WaitQueue<T>> queues = new ConcurrentHashMap<>();

  public WaitQueues(int capacity, SlotsByFunction<T> slots) {
    this.capacity = capacity;
    this.slots = slots;
  }

  public WaitQueue<T> queue(String function) {
    WaitQueue<T> queue = queues.get(function);
    return queue != null ? queue : queues.computeIfAbsent(function, f -> new WaitQueue<>(capacity));
  }

  public WaitQueue.Slots<T> slotsOf(String function) {
    return slots.slotsOf(function);
  }

  /** Serves waiters of {@code function} while slots are free. */
  public void wake(String function) {
    WaitQueue<T> queue = queues.get(function);
    if (queue != null && queue.size() > 0) {
      queue.drain(slots.slotsOf(function));
    }
  }

  /** Serves waiters of every function while slots are free (some shared resource freed up). */
  public void wakeAll() {
    queues.forEach((function, queue) -> {
      if (queue.size() > 0) {
        queue.drain(slots.slotsOf(function));
      }
    });
  }

  /** The routing listener: fail the waiters of removed functions, wake the others. */
  public void routesSwapped(RoutingTable previous, RoutingTable next) {
    queues.forEach((function, queue) -> {
      if (queue.size() == 0) {
        return;
      }
      if (next.route(function) == null) {
        queue.failAll(new ColdStartException(Reason.FUNCTION_REMOVED,
            "function '" + function + "' was removed while the request waited for an instance"));
      } else {
        queue.drain(slots.slotsOf(function));
      }
    });
  }

  /** Waiting requests per function (only functions with waiters), for the queue-length gauge. */
  public Map<String, Integer> lengths() {
    Map<String, Integer> lengths = new HashMap<>();
    queues.forEach((function, queue) -> lengths.put(function, queue.size()));
    return lengths;
  }

  /** Fails everybody; the gateway is closing. */
  public void failAll(String why) {
    queues.values().forEach(q -> q.failAll(new ColdStartException(Reason.CLOSING, why)));
  }
}
