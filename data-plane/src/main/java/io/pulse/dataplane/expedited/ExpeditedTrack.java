package io.pulse.dataplane.expedited;

import io.pulse.common.grpc.GrpcFutures;
import io.pulse.dataplane.routing.Instance;
import io.pulse.dataplane.routing.Route;
import io.pulse.dataplane.routing.RoutingTable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/**
 * Creates Emergency Instances on workers, straight from the data plane, and disposes of them: after one request when
 * the function's emergency keep-alive is 0, else once it has been idle that long or can no longer serve (an idle
 * instance serves the next request of the same revision that finds no Regular slot). Headroom is held in the
 * {@link EmergencyLedger} from placement until the worker has deleted the instance; every time some frees up the
 * listener hears of it, so that waiting requests can try again.
 */
public final class ExpeditedTrack {

  /** Told about the life of Emergency Instances (accounting, metrics, wake-ups). Must be quick; never blocks. */
  public interface Listener {
    /** Some headroom came back (an instance was deleted or a creation failed): waiting requests may try again. */
    void headroomFreed();

    void created(EmergencyInstance instance);

    void creationFailed(String function, String workerId);

    void disposed(EmergencyInstance instance, long endedAtMillis);
  }

  /** {@code fresh}: created for whoever waited first ({@link #offer}), so it has served nobody yet. */
  private record Idle(EmergencyInstance instance, long timerId, boolean fresh) {}

  /**
   * What {@link #takeWarm} found: an idle instance of the route's revision, or null ({@code fresh}: one that has
   * served nobody yet); and the idle instances of older revisions it took out of the pool, for the caller to
   * {@link #dispose} once it holds no lock (a disposal frees headroom, which wakes the wait queues).
   */
  public record Warm(@Nullable EmergencyInstance instance, boolean fresh, List<EmergencyInstance> stale) {
    static final Warm NONE = new Warm(null, false, List.of());
  }

  private final Vertx vertx;
  private final SandboxCreator creator;
  private final EmergencyLedger ledger;
  private final Listener listener;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, ArrayDeque<Idle>> idle = new HashMap<>(); // guarded by lock
  /** Idle instances over all functions: written under the lock, read without it to skip {@link #trim} at once. */
  private final AtomicInteger idleTotal = new AtomicInteger();
  /** Free slots on a route's Regular Instances (the balancer's view); none until {@link #regularSlots} is set. */
  private volatile ToIntFunction<Route> freeRegularSlots = route -> 0;
  private final AtomicInteger live = new AtomicInteger();
  /** Created and not yet disposed of: the instances whose leases this data plane renews. */
  private final Map<String, EmergencyInstance> held = new ConcurrentHashMap<>();
  private final Promise<Void> drained = Promise.promise();
  private volatile boolean closed;

  public ExpeditedTrack(Vertx vertx, SandboxCreator creator, EmergencyLedger ledger, Listener listener) {
    this.vertx = vertx;
    this.creator = creator;
    this.ledger = ledger;
    this.listener = listener;
  }

  /**
   * Where free Regular slots are counted: an idle instance is only kept for what the function's Regular Instances
   * cannot take ({@link KeepAlive#surplus}). Set once at wiring (the balancer exists after this track).
   */
  public void regularSlots(ToIntFunction<Route> freeSlots) {
    this.freeRegularSlots = freeSlots;
  }

  /**
   * An idle Emergency Instance of the route's revision (kept alive after a request, or {@link #offer offered}),
   * taken out of the pool, and the stale ones.
   */
  public Warm takeWarm(Route route) {
    if (!anyIdle()) {
      return Warm.NONE;
    }
    Idle found = null;
    List<Idle> stale = new ArrayList<>(0);
    lock.lock();
    try {
      ArrayDeque<Idle> pool = idle.get(route.function());
      if (pool == null) {
        return Warm.NONE;
      }
      for (Iterator<Idle> it = pool.iterator(); it.hasNext(); ) {
        Idle candidate = it.next();
        if (candidate.instance().revision() != route.revision()) {
          it.remove();
          stale.add(candidate);
        } else if (found == null) {
          it.remove();
          found = candidate;
        }
      }
      if (pool.isEmpty()) {
        idle.remove(route.function());
      }
      idleTotal.addAndGet(-stale.size() - (found == null ? 0 : 1));
    } finally {
      lock.unlock();
    }
    List<EmergencyInstance> staleInstances = new ArrayList<>(stale.size());
    stale.forEach(s -> {
      vertx.cancelTimer(s.timerId());
      staleInstances.add(s.instance());
    });
    if (found != null) {
      vertx.cancelTimer(found.timerId());
    }
    return new Warm(found == null ? null : found.instance(), found != null && found.fresh(), staleInstances);
  }

  /** Headroom for one instance of the route on the next worker that has it, or null. Never blocks. */
  public @Nullable Reservation reserve(RoutingTable table, Route route) {
    return reserve(table, route, CreationTicket.plain());
  }

  /**
   * As above, the creation holding {@code creation} until it ends ({@link #launch} or {@link #cancel} ends it); when
   * null, {@code creation} was not used.
   */
  public @Nullable Reservation reserve(RoutingTable table, Route route, CreationTicket creation) {
    if (closed || !route.sandbox().runnable()) {
      return null;
    }
    return ledger.reserve(table, route.sandbox().cpuMillis(), route.sandbox().memoryMiB(),
        route.readyPoolMembers(), creation);
  }

  /** Gives back a reservation that will not be used (the client left before the creation started). */
  public void cancel(Reservation reservation) {
    ledger.creationEnded(reservation);
    ledger.release(reservation);
    listener.headroomFreed();
  }

  /**
   * Creates the instance on the reserved worker: {@link Launch.Launched} once it accepts connections. At the latest
   * after {@code timeoutMillis} (what is left of the request's deadline) it is {@link Launch.Failed} and cut short: the
   * worker is told to delete the sandbox, and the headroom comes back once it has. On any other failure the headroom
   * is given back at once and the worker cools down briefly. Never fails: the caller decides what the request does
   * next.
   */
  public Future<Launch> launch(Route route, Reservation reservation, long timeoutMillis) {
    String id = newInstanceId(route);
    long createdAt = System.currentTimeMillis();
    long started = System.nanoTime();
    return creator.create(reservation.worker(), id, route.sandbox(), timeoutMillis).transform(ar -> {
      boolean cutShort = ar.failed() && ar.cause() instanceof CreationCutShort;
      // A creation cut short by its deadline took at least that long: the limit learns from it as from a success.
      ledger.creationEnded(reservation, ar.succeeded() || cutShort ? System.nanoTime() - started : -1);
      if (ar.failed()) {
        listener.creationFailed(route.function(), reservation.worker().id());
        if (cutShort) {
          // Not the worker's fault: no cool-down. Its headroom is held until the sandbox is gone.
          creator.delete(reservation.worker(), id).onComplete(d -> {
            ledger.release(reservation);
            listener.headroomFreed();
          });
        } else {
          ledger.release(reservation);
          ledger.coolDown(reservation.worker().id());
          listener.headroomFreed();
          // The worker's headroom comes back when the cooldown ends: requests parked behind it try again then, not at
          // some unrelated wake-up (or their deadline).
          vertx.setTimer(Math.max(1, ledger.cooldownMillis()), t -> listener.headroomFreed());
        }
        String code = cutShort ? "DEADLINE_EXCEEDED" : GrpcFutures.code(ar.cause()).name();
        return Future.succeededFuture(new Launch.Failed(id, reservation.worker().id(), code,
            String.valueOf(ar.cause().getMessage()), cutShort));
      }
      EmergencyInstance instance = new EmergencyInstance(
          new Instance(id, ar.result().host(), ar.result().port(), reservation.worker().id()), route.function(),
          route.revision(), reservation, createdAt, (System.nanoTime() - started) / 1_000);
      live.incrementAndGet();
      held.put(id, instance);
      listener.created(instance);
      if (closed) {
        dispose(instance);
        return Future.succeededFuture(new Launch.Failed(id, reservation.worker().id(), "CANCELLED",
            "the data plane is shutting down", false));
      }
      return Future.succeededFuture(new Launch.Launched(instance));
    });
  }

  /**
   * The instance served its request: delete it now, or keep it idle for the function's emergency keep-alive so that
   * a request of the same revision may take it ({@link KeepAlive}: only while {@code current}, the function's route
   * now, can still use it). Once the waiting requests have had their chance at it, it is deleted if a Regular slot
   * of the function is free ({@link #trim}).
   */
  public void finished(EmergencyInstance instance, @Nullable Route current) {
    int keepAliveMs = KeepAlive.idleMillis(current, instance.revision(), closed);
    if (keepAliveMs <= 0 || current == null) {
      dispose(instance);
      return;
    }
    keepIdle(instance, current, keepAliveMs, false);
  }

  /**
   * A creation made for whoever waits first, not for one request, is ready: the instance goes idle and the waiting
   * requests are woken, the first of the revision that finds no Regular slot takes it. Nobody does: it stays for the
   * function's emergency keep-alive (single use: only through that wake-up), and goes at once if a Regular slot is
   * free ({@link #trim}). Deleted at once if {@code current} can no longer use it.
   */
  public void offer(EmergencyInstance instance, @Nullable Route current) {
    if (current == null || !KeepAlive.canServe(current, instance.revision(), closed)) {
      dispose(instance);
      return;
    }
    keepIdle(instance, current, Math.max(1, KeepAlive.idleMillis(current, instance.revision(), closed)), true);
  }

  private void keepIdle(EmergencyInstance instance, Route current, int keepAliveMs, boolean fresh) {
    lock.lock();
    try {
      long timer = vertx.setTimer(keepAliveMs, t -> expire(instance));
      idle.computeIfAbsent(instance.function(), f -> new ArrayDeque<>()).addLast(new Idle(instance, timer, fresh));
      idleTotal.incrementAndGet();
    } finally {
      lock.unlock();
    }
    listener.headroomFreed(); // an idle instance is a slot for a waiting request
    trim(current);
  }

  /**
   * Deletes the function's idle instances that its free Regular slots make surplus ({@link KeepAlive#surplus}): a
   * request takes a free Regular slot before an idle instance, so an idle instance only serves what arrives beyond
   * them, and until then it is memory held for nothing. Called when an instance goes idle and when a Regular slot
   * frees up ({@code route}: the function's route now). Never blocks; cheap when nothing is idle.
   */
  public void trim(Route route) {
    if (!anyIdle()) {
      return;
    }
    int free = freeRegularSlots.applyAsInt(route); // counted before the lock: it only reads counters
    if (free <= 0) {
      return;
    }
    List<Idle> surplus = new ArrayList<>(0);
    lock.lock();
    try {
      ArrayDeque<Idle> pool = idle.get(route.function());
      if (pool == null) {
        return;
      }
      int n = KeepAlive.surplus(pool.size(), free);
      for (int i = 0; i < n; i++) {
        surplus.add(pool.pollLast()); // the newest: the most keep-alive left to save
      }
      if (pool.isEmpty()) {
        idle.remove(route.function());
      }
      idleTotal.addAndGet(-n);
    } finally {
      lock.unlock();
    }
    surplus.forEach(i -> {
      vertx.cancelTimer(i.timerId());
      dispose(i.instance());
    });
  }

  /**
   * The routes changed: idle instances whose function is gone, at another revision or without the expedited track
   * now are deleted at once rather than when their keep-alive runs out.
   */
  public void routesChanged(RoutingTable next) {
    List<Idle> unwanted = new ArrayList<>(0);
    lock.lock();
    try {
      for (Iterator<Map.Entry<String, ArrayDeque<Idle>>> it = idle.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<String, ArrayDeque<Idle>> pool = it.next();
        Route route = next.route(pool.getKey());
        for (Iterator<Idle> each = pool.getValue().iterator(); each.hasNext(); ) {
          Idle candidate = each.next();
          if (!KeepAlive.stays(route, candidate.instance().revision(), closed)) {
            each.remove();
            unwanted.add(candidate);
          }
        }
        if (pool.getValue().isEmpty()) {
          it.remove();
        }
      }
      idleTotal.addAndGet(-unwanted.size());
    } finally {
      lock.unlock();
    }
    unwanted.forEach(i -> {
      vertx.cancelTimer(i.timerId());
      dispose(i.instance());
    });
  }

  /** Whether any instance is idle (read without the lock: the cheap check before {@link #trim}). */
  public boolean anyIdle() {
    return idleTotal.get() > 0;
  }

  /** Idle kept-alive instances of {@code function} (tests, diagnostics). */
  public int idle(String function) {
    lock.lock();
    try {
      ArrayDeque<Idle> pool = idle.get(function);
      return pool == null ? 0 : pool.size();
    } finally {
      lock.unlock();
    }
  }

  /** Emergency Instances created and not yet disposed of. */
  public int live() {
    return live.get();
  }

  /**
   * Disposes of the idle instances and refuses new creations; those in use or under way are disposed of when they
   * finish. Completes once every instance is deleted.
   */
  public Future<Void> close() {
    closed = true;
    List<Idle> all = new ArrayList<>();
    lock.lock();
    try {
      idle.values().forEach(all::addAll);
      idle.clear();
      idleTotal.set(0);
    } finally {
      lock.unlock();
    }
    all.forEach(i -> {
      vertx.cancelTimer(i.timerId());
      dispose(i.instance());
    });
    if (live.get() == 0) {
      drained.tryComplete();
    }
    return drained.future();
  }

  /** Closes the worker channels (after {@link #close()} and the deletions it started). */
  public void closeChannels() {
    creator.close();
  }

  private void expire(EmergencyInstance instance) {
    boolean removed;
    lock.lock();
    try {
      ArrayDeque<Idle> pool = idle.get(instance.function());
      removed = pool != null && pool.removeIf(i -> i.instance() == instance);
      if (pool != null && pool.isEmpty()) {
        idle.remove(instance.function());
      }
      if (removed) {
        idleTotal.decrementAndGet();
      }
    } finally {
      lock.unlock();
    }
    if (removed) {
      dispose(instance);
    }
  }

  /** Emergency Instances created and not yet disposed of (a snapshot): those whose leases are to be renewed. */
  public List<EmergencyInstance> held() {
    return List.copyOf(held.values());
  }

  /**
   * Deletes the instance on its worker, then frees its headroom. Its lease is no longer renewed: should the deletion
   * fail, the worker reaps the instance when the lease runs out.
   */
  public Future<Void> dispose(EmergencyInstance instance) {
    held.remove(instance.id(), instance);
    return creator.delete(instance.reservation().worker(), instance.id()).onComplete(ar -> {
      ledger.release(instance.reservation());
      if (live.decrementAndGet() == 0 && closed) {
        drained.tryComplete();
      }
      listener.disposed(instance, System.currentTimeMillis());
      listener.headroomFreed();
    });
  }

  private static String newInstanceId(Route route) {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder id = new StringBuilder(route.function()).append('-').append(route.revision()).append("-e");
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 8; i++) {
      id.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return id.toString();
  }
}
