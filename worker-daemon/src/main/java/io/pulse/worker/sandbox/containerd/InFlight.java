package io.pulse.worker.sandbox.containerd;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The runtime's operations under way (creations, deletions, discards), counted so that a close can wait until none is
 * left before it lets go of containerd: an operation cut off half-way leaves a container, task or snapshot behind.
 * Thread-safe; waiters are completed outside the lock.
 */
final class InFlight {

  private int running;
  private final List<CompletableFuture<Void>> waiters = new ArrayList<>();

  synchronized void begin() {
    running++;
  }

  void end() {
    List<CompletableFuture<Void>> idle;
    synchronized (this) {
      running--;
      if (running > 0) {
        return;
      }
      idle = List.copyOf(waiters);
      waiters.clear();
    }
    idle.forEach(w -> w.complete(null));
  }

  /** Completes once no operation is under way: at once when none is. */
  synchronized CompletableFuture<Void> idle() {
    if (running == 0) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> waiter = new CompletableFuture<>();
    waiters.add(waiter);
    return waiter;
  }

  synchronized int running() {
    return running;
  }
}
