package io.pulse.controlplane.instances;

import io.pulse.controlplane.membership.WorkerInfo;
import io.pulse.controlplane.registry.FunctionRecord;
import io.vertx.core.Future;

/**
 * The commands the lifecycle sends to worker daemons, in the core's own terms (no transport type: the gRPC adapter
 * translates). Futures complete on the caller's context.
 */
public interface WorkerClient {

  /** The worker (or this client) does not offer the command: an older worker, or a client that cannot. */
  final class Unsupported extends UnsupportedOperationException {
    public Unsupported(String message) {
      super(message);
    }
  }

  /**
   * Creates a REGULAR sandbox and answers once it accepts connections, or once the worker refused or stopped
   * answering: the future itself does not fail, the answer says which.
   */
  Future<CreateAnswer> create(WorkerInfo worker, String instanceId, FunctionRecord function, long epoch);

  /** Deletes a sandbox; answers whether it existed. */
  Future<Boolean> delete(WorkerInfo worker, String instanceId, long epoch);

  /**
   * What the worker runs now ({@code ListSandboxes}); fails when it does not answer, or when another worker answers at
   * that address. Used by a new leader's sweep; clients that cannot list fail.
   */
  default Future<WorkerListing> list(WorkerInfo worker) {
    return Future.failedFuture(new Unsupported("this worker client cannot list sandboxes"));
  }

  /** An image made present on a worker ({@code PrepareImage}). */
  record PreparedImage(boolean alreadyPresent, String digest, long pullMicros) {}

  /** Makes an image present and unpacked on a worker before anything needs it. */
  default Future<PreparedImage> prepareImage(WorkerInfo worker, String image, long epoch) {
    return Future.failedFuture(new Unsupported("this worker client cannot prepare images"));
  }

  /** Sets the pool target of the function's current revision ({@code SetPoolTarget}: its prewarm) on a worker. */
  default Future<Void> setPoolTarget(WorkerInfo worker, FunctionRecord function, long epoch) {
    return setPoolTarget(worker, function, function.spec().scaling().prewarm(), epoch);
  }

  /** Sets the pool target of the function's current revision to {@code target} (automatic sizing) on a worker. */
  default Future<Void> setPoolTarget(WorkerInfo worker, FunctionRecord function, int target, long epoch) {
    return Future.failedFuture(new Unsupported("this worker client cannot set pool targets"));
  }

  /**
   * The newest {@code tail} lines an instance printed at or after {@code sinceMs} ({@code InstanceLogs}); the future
   * itself does not fail, the answer says what happened.
   */
  default Future<LogAnswer> logs(WorkerInfo worker, String instanceId, int tail, long sinceMs) {
    return Future.succeededFuture(new LogAnswer.Unsupported("this worker client cannot read logs"));
  }

  /**
   * Opens the connection to a worker that joined, so that its first command does not pay for setting it up (under a
   * burst of creations, building and dialling channels to workers seen for the first time cost more than the calls).
   */
  default void connect(WorkerInfo worker) {}

  /** Releases what is held for a worker that left. */
  void forget(String workerId);

  void close();
}
