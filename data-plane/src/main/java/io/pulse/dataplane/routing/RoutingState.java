package io.pulse.dataplane.routing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one published routing table. Readers call {@link #current()} (a volatile read) on every request; the single
 * writer ({@link RouteWatcher}) swaps the whole table and then tells the listeners, which wake parked requests.
 */
public final class RoutingState {

  /** Told after each swap, on the writer's thread; must be quick and must not block. */
  @FunctionalInterface
  public interface Listener {
    void swapped(RoutingTable previous, RoutingTable next);
  }

  private volatile RoutingTable current = RoutingTable.empty();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  public RoutingTable current() {
    return current;
  }

  public void addListener(Listener listener) {
    listeners.add(listener);
  }

  /** Applies a delta; synchronized so that two writers (an old and a new stream) can never interleave a swap. */
  public synchronized RoutingTable apply(RouteDelta delta) {
    RoutingTable previous = current;
    RoutingTable next = previous.apply(delta);
    current = next;
    for (Listener listener : listeners) {
      listener.swapped(previous, next);
    }
    return next;
  }
}
