package io.pulse.controlplane.routes;

import io.pulse.common.time.Timers;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Publishes route tables to subscribers. Confined to one Vert.x context: every method must be called on it (the
 * coalescing timer fires there too: {@link Timers#of} on that context).
 */
public final class RoutesPublisher {

  private final Timers timers;
  private final long coalesceMillis;
  /** Subscriber to "needs a full snapshot" (it was not ready when something had to be sent). */
  private final Map<RouteSink, Boolean> sinks = new LinkedHashMap<>();
  /** Version each subscriber acknowledged (0 until its first acknowledgement). */
  private final Map<RouteSink, Long> acked = new HashMap<>();
  private final List<Propagation> propagations = new ArrayList<>();
  private RouteTable sent = RouteTable.EMPTY;
  /** Version of {@link #sent}: grows by one with every published change. */
  private long version;
  private RouteTable latest = RouteTable.EMPTY;
  private boolean flushScheduled;
  private boolean closed;

  public RoutesPublisher(Timers timers, long coalesceMillis) {
    this.timers = timers;
    this.coalesceMillis = coalesceMillis;
  }

  /** The new truth; subscribers get the difference after the coalescing delay. */
  public void update(RouteTable table) {
    latest = table;
    if (!flushScheduled && !closed) {
      flushScheduled = true;
      timers.schedule(coalesceMillis, () -> {
        flushScheduled = false;
        flush();
      });
    }
  }

  /** The new truth, sent to subscribers now (a pending coalesced flush then finds nothing left to send). */
  public void updateNow(RouteTable table) {
    latest = table;
    if (!closed) {
      flush();
    }
  }

  /**
   * Adds a subscriber and sends it the full table (later changes follow as deltas). A coalesced change still pending
   * goes out to everyone first: a late timer (an event loop that was busy when it fell due) must never hand a new
   * subscriber an older table, e.g. a new term's empty one that makes a data plane forget every endpoint.
   */
  public void subscribe(RouteSink sink) {
    if (closed) {
      sink.close();
      return;
    }
    if (latest != sent) {
      flush();
    }
    sinks.put(sink, true);
    acked.put(sink, 0L);
    resync(sink);
  }

  public void unsubscribe(RouteSink sink) {
    sinks.remove(sink);
    acked.remove(sink);
    checkPropagations();
  }

  /** A data plane applied the update of {@code ackedVersion}. */
  public void acknowledged(String dataPlaneId, long ackedVersion) {
    acked.replaceAll((sink, current) ->
        sink.dataPlaneId().equals(dataPlaneId) ? Math.max(current, Math.min(ackedVersion, version)) : current);
    checkPropagations();
  }

  /**
   * Completes once the published table satisfies {@code reached} and every data plane connected at that moment has
   * applied it: {@code true}, or {@code false} when {@code timeoutMillis} passed first. Never fails.
   */
  public Future<Boolean> awaitPropagation(Predicate<RouteTable> reached, long timeoutMillis) {
    Promise<Boolean> promise = Promise.promise();
    Propagation propagation = new Propagation(reached, promise);
    if (closed || propagation.check(sent, version, acked)) {
      promise.tryComplete(!closed);
      return promise.future();
    }
    propagations.add(propagation);
    Timers.Timer timer = timers.schedule(timeoutMillis, () -> {
      propagation.expire();
      propagations.remove(propagation);
    });
    return promise.future().onComplete(ar -> timer.cancel());
  }

  /** The sink's transport drained: send the full snapshot it missed, if it missed anything. */
  public void onReady(RouteSink sink) {
    resync(sink);
  }

  public int subscribers() {
    return sinks.size();
  }

  /** Ends every stream; subscribers reconnect to whoever serves routes next. */
  public void closeAll() {
    closed = true;
    List<RouteSink> all = List.copyOf(sinks.keySet());
    sinks.clear();
    acked.clear();
    all.forEach(RouteSink::close);
    propagations.forEach(Propagation::expire);
    propagations.clear();
  }

  private void resync(RouteSink sink) {
    Boolean needsFull = sinks.get(sink);
    if (needsFull != null && needsFull && sink.isReady()) {
      sinks.put(sink, false);
      sink.send(RouteDelta.full(sent), version);
    }
  }

  private void checkPropagations() {
    propagations.removeIf(p -> p.done() || p.check(sent, version, acked));
  }

  private void flush() {
    if (closed) {
      return;
    }
    RouteDelta delta = RouteDelta.between(sent, latest);
    sent = latest;
    if (delta.isEmpty()) {
      checkPropagations();
      return;
    }
    version++;
    for (Map.Entry<RouteSink, Boolean> entry : sinks.entrySet()) {
      if (entry.getValue()) {
        // Owes a full snapshot: send it now if the transport has room (covers a missed ready signal).
        if (entry.getKey().isReady()) {
          entry.setValue(false);
          entry.getKey().send(RouteDelta.full(sent), version);
        }
      } else if (entry.getKey().isReady()) {
        entry.getKey().send(delta, version);
      } else {
        entry.setValue(true);
      }
    }
    checkPropagations();
  }
}
