package io.pulse.controlplane.pools;

import io.pulse.controlplane.instances.CreateAnswer;
import io.pulse.controlplane.instances.WorkerClient;
import io.pulse.controlplane.membership.WorkerInfo;
import io.pulse.controlplane.registry.FunctionRecord;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/** Writes down every pool target sent, as {@code worker:function@revision=target/eEPOCH}; may refuse them. */
final class RecordingWorkerClient implements WorkerClient {

  final List<String> sent = new ArrayList<>();
  boolean failing;

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
