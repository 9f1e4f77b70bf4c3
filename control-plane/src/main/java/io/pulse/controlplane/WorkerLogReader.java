package io.pulse.controlplane;

import io.pulse.controlplane.api.ClusterView.InstanceView;
import io.pulse.controlplane.api.ClusterView.WorkerView;
import io.pulse.controlplane.instances.LogAnswer;
import io.pulse.controlplane.instances.LogLine;
import io.pulse.controlplane.membership.WorkerInfo;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reads an instance's log from the worker the leader's snapshot places it on, through the term's applier (the only
 * code that talks to workers), and turns its answer into what the REST API shows.
 */
final class WorkerLogReader implements SnapshotClusterView.LogReader {

  /** The applier's read (see {@code PlanApplier#logs}). */
  @FunctionalInterface
  interface Logs {
    Future<LogAnswer> read(WorkerInfo worker, String instanceId, int tail, long sinceMs);
  }

  private final Logs workers;
  private final Supplier<List<WorkerView>> known;

  WorkerLogReader(Logs workers, Supplier<List<WorkerView>> known) {
    this.workers = workers;
    this.known = known;
  }

  @Override
  public Future<List<LogLine>> logs(InstanceView instance, int tail, long sinceMs) {
    WorkerView worker = known.get().stream().filter(w -> w.id().equals(instance.workerId())).findFirst().orElse(null);
    if (worker == null) {
      return Future.failedFuture(new IllegalStateException("worker " + instance.workerId() + " is gone"));
    }
    WorkerInfo info = new WorkerInfo(worker.id(), worker.address(), worker.hostname(), worker.runtime(),
        worker.cpuMillis(), worker.memoryMiB());
    return workers.read(info, instance.id(), tail, sinceMs).compose(answer -> switch (answer) {
      case LogAnswer.Lines lines -> Future.succeededFuture(lines.lines());
      // An instance the worker deleted with its files (an ended Emergency Instance): nothing to show, not an error.
      case LogAnswer.Gone gone -> Future.succeededFuture(List.of());
      case LogAnswer.Unsupported unsupported -> Future.failedFuture(new IllegalStateException(unsupported.message()));
      case LogAnswer.Failed failed -> Future.failedFuture(new IllegalStateException(failed.error()));
    });
  }
}
