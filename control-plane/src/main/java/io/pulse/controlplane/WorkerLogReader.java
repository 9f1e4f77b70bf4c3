package io.pulse.controlplane;

import io.grpc.Status;
import io.pulse.controlplane.api.ClusterView.InstanceView;
import io.pulse.controlplane.api.ClusterView.WorkerView;
import io.pulse.controlplane.instances.LogLine;
import io.pulse.controlplane.instances.WorkerClient;
import io.pulse.controlplane.membership.WorkerInfo;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Supplier;

/** Reads an instance's log from the worker the leader's snapshot places it on, with the term's worker client. */
final class WorkerLogReader implements SnapshotClusterView.LogReader {

  private final WorkerClient workers;
  private final Supplier<List<WorkerView>> known;

  WorkerLogReader(WorkerClient workers, Supplier<List<WorkerView>> known) {
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
    return workers.logs(info, instance.id(), tail, sinceMs).recover(failure ->
        // An instance the worker deleted with its files (an ended Emergency Instance): nothing to show, not an error.
        Status.fromThrowable(failure).getCode() == Status.Code.NOT_FOUND ? Future.succeededFuture(List.of())
            : Future.failedFuture(failure));
  }
}
