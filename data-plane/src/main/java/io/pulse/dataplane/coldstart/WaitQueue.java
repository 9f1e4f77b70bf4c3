package io.pulse.dataplane.coldstart;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The bounded FIFO of requests waiting for a slot of one function. Who gets a slot is decided under one short lock
 * (no I/O inside: taking a slot is a compare-and-set) into a {@link Decision}; it is carried out after the lock is
 * released: futures are completed on the waiter's own Vert.x context, and what the slot source deferred (deleting a
 * stale instance, which frees headroom and wakes other queues) runs then. A waiter leaves the queue exactly once: handed a slot, cancelled (deadline, client
 * gone) or failed with the rest (function removed).
 *
 * @param <T> what a slot is (a lease in the gateway, a token in tests)
 */
public final class WaitQueue<T> {

  /**
   * Takes a free slot or answers null; must not block. By default the queue is strictly FIFO: after a null nobody
   * further back is asked. A source whose answer depends on the position (a request far back may take another track
   * that one at the head should not) says so with {@link #laterMayDiffer()}.
   */
  @FunctionalInterface
  public interface Slots<T> {
    /** A slot for a request with {@code ahead} requests still waiting before it, or null. */
    @Nullable T tryAcquire(int ahead);

    /** Asked after a null: whether a request further back might still be given a slot now. */
    default boolean laterMayDiffer() {
      return false;
    }

    /**
     * Called once the pass is over and the queue's lock released: carries out what {@link #tryAcquire} decided but
     * must not do under the lock (I/O, or anything that may wake a queue, this one included).
     */
    default void settle() {}
  }

  /** The outcome of {@link #admit}. */
  public sealed interface Admission<T> {
    /** A slot was free: go ahead. */
    record Granted<T>(T slot) implements Admission<T> {}

    /** Parked: wait for {@link Waiter#future()}. */
    record Parked<T>(Waiter<T> waiter) implements Admission<T> {}

    /** The queue is at capacity. */
    record Full<T>(int waiting) implements Admission<T> {}
  }

  /** One parked request. */
  public static final class Waiter<T> {
    private final Promise<T> promise = Promise.promise();
    private final @Nullable Context context;

    private Waiter(@Nullable Context context) {
      this.context = context;
    }

    public Future<T> future() {
      return promise.future();
    }

    // complete/fail (not try*): the queue decides each waiter's fate once, so a second completion is a bug that
    // must surface.
    private void grant(T slot) {
      deliver(() -> promise.complete(slot));
    }

    private void fail(Throwable cause) {
      deliver(() -> promise.fail(cause));
    }

    private void deliver(Runnable completion) {
      if (context == null) {
        completion.run();
      } else {
        context.runOnContext(v -> completion.run());
      }
    }
  }

  private record Handoff<T>(Waiter<T> waiter, T slot) {}

  private final int capacity;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Waiter<T>> waiters = new ArrayDeque<>(); // guarded by lock
  private volatile int size;

  public WaitQueue(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("queueCapacity must be >= 1, was " + capacity);
    }
    this.capacity = capacity;
  }

  /** How many requests wait now. */
  public int size() {
    return size;
  }

  /**
   * Takes a slot for a new request if one is free and nobody waits, else parks it at the tail, else reports the
   * queue full. The waiter's future completes on the calling thread's Vert.x context, if any.
   */
  public Admission<T> admit(Slots<T> slots) {
    if (size == 0) {
      // Fast path without the lock. It may overtake a waiter parking concurrently; that waiter is served by the
      // next release, so the only cost is a moment of unfairness.
      T slot = slots.tryAcquire(0);
      if (slot != null) {
        slots.settle();
        return new Admission.Granted<>(slot);
      }
    }
    List<Handoff<T>> handoffs = new ArrayList<>(0);
    Admission<T> admission;
    lock.lock();
    try {
      admission = admitLocked(slots, handoffs);
    } catch (RuntimeException | Error e) {
      lock.unlock();
      carryOutAfter(e, handoffs, slots);
      throw e;
    }
    lock.unlock();
    carryOut(handoffs, slots);
    return admission;
  }

  /**
   * A slot now or nothing, never parking: for a caller with another way to serve the request (the byte-level
   * forwarder hands it to the full path). Nothing when anyone waits, so that it never overtakes a parked request.
   */
  public @Nullable T tryNow(Slots<T> slots) {
    if (size > 0) {
      return null;
    }
    T slot = slots.tryAcquire(0);
    slots.settle();
    return slot;
  }

  /** Hands free slots to waiters in arrival order; call after a slot frees up or an instance appears. */
  public void drain(Slots<T> slots) {
    if (size == 0) {
      return;
    }
    List<Handoff<T>> handoffs = new ArrayList<>();
    lock.lock();
    try {
      drainLocked(slots, handoffs);
    } catch (RuntimeException | Error e) {
      lock.unlock();
      carryOutAfter(e, handoffs, slots);
      throw e;
    }
    lock.unlock();
    carryOut(handoffs, slots);
  }

  /**
   * Takes {@code waiter} out and fails it with {@code cause}, unless it already left (it got a slot, or was failed).
   * True when this call decided its fate.
   */
  public boolean cancel(Waiter<T> waiter, Throwable cause) {
    boolean removed;
    lock.lock();
    try {
      removed = waiters.remove(waiter);
      size = waiters.size();
    } finally {
      lock.unlock();
    }
    if (removed) {
      waiter.fail(cause);
    }
    return removed;
  }

  /** Fails every waiter (the function is gone or the gateway closes); returns how many there were. */
  public int failAll(Throwable cause) {
    List<Waiter<T>> failed;
    lock.lock();
    try {
      failed = new ArrayList<>(waiters);
      waiters.clear();
      size = 0;
    } finally {
      lock.unlock();
    }
    failed.forEach(w -> w.fail(cause));
    return failed.size();
  }

  /** Whether the calling thread is inside this queue's locked section (for assertions: no action may run there). */
  public boolean heldByCurrentThread() {
    return lock.isHeldByCurrentThread();
  }

  /** Decides the new request's admission; {@code handoffs} receives the waiters served first. */
  private Admission<T> admitLocked(Slots<T> slots, List<Handoff<T>> handoffs) {
    boolean exhausted = drainLocked(slots, handoffs); // older waiters first
    T slot = exhausted ? null : slots.tryAcquire(waiters.size());
    if (slot != null) {
      return new Admission.Granted<>(slot);
    }
    if (waiters.size() >= capacity) {
      return new Admission.Full<>(waiters.size());
    }
    Waiter<T> waiter = new Waiter<>(Vertx.currentContext());
    waiters.addLast(waiter);
    size = waiters.size();
    return new Admission.Parked<>(waiter);
  }

  /** Outside the lock: hand the slots over, then let the source do what it deferred. */
  private void carryOut(List<Handoff<T>> handoffs, Slots<T> slots) {
    handoffs.forEach(h -> h.waiter().grant(h.slot()));
    slots.settle();
  }

  /**
   * The same after the source threw mid-pass: the waiters it served are not lost with it, and a failure here is added
   * to the source's rather than hiding it.
   */
  private void carryOutAfter(Throwable sourceFailure, List<Handoff<T>> handoffs, Slots<T> slots) {
    try {
      carryOut(handoffs, slots);
    } catch (RuntimeException | Error e) {
      sourceFailure.addSuppressed(e);
    }
  }

  /**
   * Offers slots to the waiters in arrival order; a waiter the source passes over keeps its place. True when the
   * source said that nobody further back can be given one now.
   */
  private boolean drainLocked(Slots<T> slots, List<Handoff<T>> handoffs) {
    boolean exhausted = false;
    int ahead = 0;
    try {
      for (Iterator<Waiter<T>> it = waiters.iterator(); it.hasNext(); ) {
        Waiter<T> waiter = it.next();
        T slot = slots.tryAcquire(ahead);
        if (slot != null) {
          it.remove();
          handoffs.add(new Handoff<>(waiter, slot));
        } else if (slots.laterMayDiffer()) {
          ahead++;
        } else {
          exhausted = true;
          break;
        }
      }
    } finally {
      size = waiters.size();
    }
    return exhausted;
  }
}
