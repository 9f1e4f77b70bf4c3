package io.pulse.controlplane.cluster;

import io.pulse.controlplane.membership.WorkerInfo;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The workers the leaders of this cluster have known, kept beside the registry so that a new leader can ask each of
 * them what it runs ({@code ListSandboxes}) as soon as its term starts, instead of waiting for them to notice the
 * failover and register again. A hint, not a source of truth: a worker that does not answer is dropped from it, and
 * every (re-)registration puts the worker back. Writes are asynchronous and best effort; nothing waits on them.
 */
public interface WorkerDirectory {

  /** Keeps nothing (a lone replica never takes over from another one). */
  WorkerDirectory NONE = new WorkerDirectory() {
    @Override
    public void put(WorkerInfo worker) {}

    @Override
    public void remove(String workerId) {}

    @Override
    public CompletionStage<List<WorkerInfo>> all() {
      return CompletableFuture.completedFuture(List.of());
    }
  };

  void put(WorkerInfo worker);

  void remove(String workerId);

  /** Every worker in the directory; completes off the caller's thread. */
  CompletionStage<List<WorkerInfo>> all();
}
