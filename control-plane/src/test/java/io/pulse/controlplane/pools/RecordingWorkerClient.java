package io.pulse.controlplane.pools;

import io.pulse.common.testing.ManualTimers;
import io.pulse.controlplane.instances.CreateAnswer;
import io.pulse.controlplane.instances.Plan;
import io.pulse.controlplane.instances.PlanApplier;
import io.pulse.controlplane.instances.WorkerClient;
import io.pulse.controlplane.membership.WorkerInfo;
import io.pulse.controlplane.registry.FunctionRecord;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes down every pool target sent, as {@code worker:function@revision=target/eEPOCH}; may refuse them. Commands
 * reach it only through a real {@link PlanApplier} ({@link #applier}), as in production.
 */
final class RecordingWorkerClient implements WorkerClient {

  final List<String> sent = new ArrayList<>();
  boolean failing;

  /** The applier of a term with this epoch, sending through this client. */
  PlanApplier applier(long epoch) {
    ManualTimers timers = new ManualTimers();
    return new PlanApplier(this, epoch, timers, timers.clock(), new PlanApplier.Answers() {
      @Override
      public void created(Plan.Create create, CreateAnswer answer) {}

      @Override
      public void deleted(Plan.Delete delete) {}

      @Override
      public void wake() {}
    });
  }

  @Override
  public Future<CreateAnswer> create(WorkerInfo worker, String instanceId, FunctionRecord function, long epoch) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Future<Boolean> delete(WorkerInfo worker, String instanceId, long epoch) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Future<Void> setPoolTarget(WorkerInfo worker, FunctionRecord function, int target, long epoch) {
    sent.add(worker.id() + ":" + function.name() + "@" + function.revision() + "=" + target + "/e" + epoch);
    return failing ? Future.failedFuture(new IllegalStateException("unreachable")) : Future.succeededFuture();
  }

  @Override
  public void forget(String workerId) {}

  @Override
  public void close() {}
}
