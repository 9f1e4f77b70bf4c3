package io.pulse.controlplane.state;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Group commit: writes are queued to one writer thread, which takes every write waiting and makes them durable in one
 * batch (one fsync), so writes that arrive while an fsync runs share the next one instead of each paying its own.
 * Batches are written in the order the writes were submitted. Each write's future completes once its batch is
 * durable, or fails with the batch's failure (every write of that batch). Never blocks the submitter.
 *
 * @param <W> a write, as the {@link Batches} understand it
 */
final class GroupCommit<W> implements AutoCloseable {

  /** Makes a batch of writes durable, in order, before returning; a failure means none may be taken as durable. */
  @FunctionalInterface
  interface Batches<W> {
    void write(List<W> batch) throws Exception;
  }

  private record Waiting<W>(W write, CompletableFuture<Void> durable) {}

  private final Batches<W> batches;
  private final BlockingQueue<Waiting<W>> queue = new LinkedBlockingQueue<>();
  /** Queued last by {@link #close()}: the writer stops once it has written everything before it. */
  private final Waiting<W> end = new Waiting<>(null, new CompletableFuture<>());
  private final Thread writer;
  private boolean closed; // guarded by this: no write is queued after the end

  GroupCommit(String threadName, Batches<W> batches) {
    this.batches = batches;
    this.writer = Thread.ofPlatform().name(threadName).daemon().start(this::run);
  }

  /** Queues {@code write}; the future completes once it is durable. After {@link #close()} it fails at once. */
  CompletableFuture<Void> submit(W write) {
    CompletableFuture<Void> durable = new CompletableFuture<>();
    synchronized (this) {
      if (closed) {
        durable.completeExceptionally(new IllegalStateException("the state store is closed"));
        return durable;
      }
      queue.add(new Waiting<>(write, durable));
    }
    return durable;
  }

  /** Writes what is queued, then stops the writer thread. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      queue.add(end);
    }
    boolean interrupted = false;
    while (writer.isAlive()) {
      try {
        writer.join();
      } catch (InterruptedException e) {
        interrupted = true; // the store is closed right after: the writer must be done first
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    List<Waiting<W>> group = new ArrayList<>();
    boolean ending = false;
    while (!ending) {
      try {
        group.add(queue.take());
      } catch (InterruptedException e) {
        continue; // nobody interrupts this thread on purpose; close() ends it through the queue
      }
      queue.drainTo(group);
      ending = group.getLast() == end;
      if (ending) {
        group.removeLast();
      }
      if (!group.isEmpty()) {
        commit(group);
      }
      group.clear();
    }
  }

  private void commit(List<Waiting<W>> group) {
    List<W> writes = new ArrayList<>(group.size());
    group.forEach(waiting -> writes.add(waiting.write()));
    Throwable failure = null;
    try {
      batches.write(writes);
    } catch (Exception | Error e) {
      failure = e;
    }
    for (Waiting<W> waiting : group) {
      if (failure == null) {
        waiting.durable().complete(null);
      } else {
        waiting.durable().completeExceptionally(failure);
      }
    }
  }
}
