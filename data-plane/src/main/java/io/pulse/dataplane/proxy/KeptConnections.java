package io.pulse.dataplane.proxy;

import io.pulse.dataplane.routing.Instance;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpConnection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One event loop's kept-alive connections to the instances, by instance: at most {@code cap} per instance, one
 * exchange at a time on each, the most recently used handed out first (the others go idle and expire). Requests
 * beyond the cap wait for a connection in arrival order. A connection of our own instead of Vert.x's pooled client:
 * that client resolves the endpoint, looks up its pool and chains futures for every request; here the lookup is one
 * map read by instance id. Used from the event loop that made it only.
 */
final class KeptConnections {

  /** One connection and what the pool knows of it. */
  static final class Kept {
    private final HttpClientConnection connection;
    private final Lane lane;
    private boolean used;
    private boolean closed;
    private long idleSince;

    private Kept(HttpClientConnection connection, Lane lane) {
      this.connection = connection;
      this.lane = lane;
    }

    HttpClientConnection connection() {
      return connection;
    }

    /** Whether an earlier exchange went over it (a failure on it may then be the instance closing it idle). */
    boolean reused() {
      return used;
    }
  }

  /** One instance's connections. */
  private static final class Lane {
    private final String instanceId;
    private final ArrayDeque<Kept> idle = new ArrayDeque<>();
    private final ArrayDeque<Handler<AsyncResult<Kept>>> waiting = new ArrayDeque<>();
    private int open; // connected or connecting

    private Lane(String instanceId) {
      this.instanceId = instanceId;
    }
  }

  private final HttpClientAgent agent;
  private final Handler<HttpConnection> prepare;
  private final Context context;
  private final int cap;
  private final long keepAliveNanos;
  private final LongSupplier nanoClock;
  private final Map<String, Lane> lanes = new HashMap<>();

  /** {@code prepare} runs on each new connection before its first request. */
  KeptConnections(HttpClientAgent agent, Handler<HttpConnection> prepare, Context context, int cap,
      long keepAliveNanos, LongSupplier nanoClock) {
    this.agent = agent;
    this.prepare = prepare;
    this.context = context;
    this.cap = cap;
    this.keepAliveNanos = keepAliveNanos;
    this.nanoClock = nanoClock;
  }

  /** Hands {@code handler} a connection to {@code instance}: an idle one, a new one, or (at the cap) the next freed. */
  void acquire(Instance instance, Handler<AsyncResult<Kept>> handler) {
    Lane lane = lanes.get(instance.id());
    if (lane == null) {
      lane = new Lane(instance.id());
      lanes.put(instance.id(), lane);
    }
    long now = nanoClock.getAsLong();
    Kept kept;
    while ((kept = lane.idle.pollLast()) != null) {
      if (!kept.closed && now - kept.idleSince < keepAliveNanos) {
        kept.used = true;
        handler.handle(Future.succeededFuture(kept));
        return;
      }
      kept.connection.close();
    }
    if (lane.open < cap) {
      connect(lane, instance, handler);
    } else {
      lane.waiting.add(handler);
    }
  }

  /**
   * The exchange on {@code kept} is over. {@code reusable}: both messages ended and the instance did not ask for the
   * close, so the connection can carry the next request; otherwise it is closed.
   */
  void release(Kept kept, boolean reusable) {
    if (kept.closed) {
      return;
    }
    if (!reusable) {
      kept.connection.close(); // its close handler frees the place
      return;
    }
    Lane lane = kept.lane;
    Handler<AsyncResult<Kept>> next = lane.waiting.poll();
    if (next != null) {
      kept.used = true;
      // Later, not from inside the ending exchange's callbacks: the connection finishes its own bookkeeping first.
      context.runOnContext(v -> next.handle(Future.succeededFuture(kept)));
      return;
    }
    kept.idleSince = nanoClock.getAsLong();
    lane.idle.addLast(kept);
  }

  /** Closes the connections idle for longer than the keep-alive, and forgets instances with none left. */
  void expire() {
    long now = nanoClock.getAsLong();
    for (Iterator<Lane> it = lanes.values().iterator(); it.hasNext(); ) {
      Lane lane = it.next();
      for (Iterator<Kept> idle = lane.idle.iterator(); idle.hasNext(); ) {
        Kept kept = idle.next();
        if (now - kept.idleSince >= keepAliveNanos) {
          idle.remove();
          kept.connection.close();
        }
      }
      if (lane.open == 0 && lane.waiting.isEmpty()) {
        it.remove();
      }
    }
  }

  /** Connections open or being opened to {@code instanceId} (tests). */
  int open(String instanceId) {
    Lane lane = lanes.get(instanceId);
    return lane == null ? 0 : lane.open;
  }

  /** Closes every idle connection; those in use close with their exchange or the agent. */
  void close() {
    List<Kept> idle = new ArrayList<>();
    lanes.values().forEach(lane -> idle.addAll(lane.idle));
    lanes.clear();
    idle.forEach(kept -> kept.connection.close());
  }

  private void connect(Lane lane, Instance instance, Handler<AsyncResult<Kept>> handler) {
    lane.open++;
    agent.connect(new HttpConnectOptions().setHost(instance.host()).setPort(instance.port())).onComplete(ar -> {
      if (ar.failed()) {
        lane.open--;
        handler.handle(Future.failedFuture(ar.cause()));
        connectForNextWaiting(lane, instance);
        return;
      }
      prepare.handle(ar.result());
      Kept kept = new Kept(ar.result(), lane);
      ar.result().closeHandler(v -> closed(kept, instance));
      handler.handle(Future.succeededFuture(kept));
    });
  }

  private void closed(Kept kept, Instance instance) {
    if (kept.closed) {
      return;
    }
    kept.closed = true;
    Lane lane = kept.lane;
    lane.open--;
    lane.idle.remove(kept);
    connectForNextWaiting(lane, instance);
    if (lane.open == 0 && lane.waiting.isEmpty() && lanes.get(lane.instanceId) == lane) {
      lanes.remove(lane.instanceId);
    }
  }

  /** A place under the cap came free: the first request waiting gets a new connection. */
  private void connectForNextWaiting(Lane lane, Instance instance) {
    if (lane.open < cap) {
      Handler<AsyncResult<Kept>> next = lane.waiting.poll();
      if (next != null) {
        connect(lane, instance, next);
      }
    }
  }
}
