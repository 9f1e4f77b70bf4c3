package io.pulse.controlplane.pools;

import io.pulse.controlplane.instances.WorkerClient;
import io.pulse.controlplane.membership.WorkerInfo;
import io.pulse.controlplane.registry.FunctionRecord;
import java.util.Collection;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells pooling (containerd, fake) workers a revision's pool target ({@code scaling.prewarm}) ahead of its first creation there, so
 * that even that one can be a pool hit. Only workers that pool (containerd) are told; the worker fences by epoch. On
 * the scheduler's context; a failure is logged and otherwise harmless (the next creation carries the target too).
 */
public final class PoolTargetSender {

  private static final Logger LOG = LoggerFactory.getLogger(PoolTargetSender.class);
  /** containerd pools; the fake runtime simulates its pools for trace replays. */
  static final java.util.Set<String> POOLING_RUNTIMES = java.util.Set.of("containerd", "fake");

  private final WorkerClient workers;
  private final long epoch;
  private final Predicate<String> hasPools;

  /** @param hasPools whether workers report pools of a function (then a prewarm of 0 is worth sending: it drains) */
  public PoolTargetSender(WorkerClient workers, long epoch, Predicate<String> hasPools) {
    this.workers = workers;
    this.epoch = epoch;
    this.hasPools = hasPools;
  }

  /**
   * A function was registered or changed (maybe a new revision): its target on every given worker. An automatic
   * prewarm sends 0 where pools of the function exist (draining an older revision's, or a fixed prewarm's it had
   * before); {@link AutoPoolSizer} sets the new revision's targets at its next tick.
   */
  public void functionUpserted(FunctionRecord function, Collection<WorkerInfo> on) {
    if (wanted(function) || hasPools.test(function.name())) {
      on.forEach(worker -> send(function, worker));
    }
  }

  /**
   * A function was deleted: a target of 0 for its last revision drains its pools (and any older revision's) on every
   * given worker that may hold some, at once rather than when the worker finds them idle.
   */
  public void functionDeleted(FunctionRecord last, Collection<WorkerInfo> on) {
    if (wanted(last) || last.spec().scaling().prewarmAuto() || hasPools.test(last.name())) {
      on.forEach(worker -> send(last, worker, 0));
    }
  }

  /** A worker joined: the targets of the functions that want pools. */
  public void workerJoined(WorkerInfo worker, Collection<FunctionRecord> functions) {
    functions.stream().filter(PoolTargetSender::wanted).forEach(function -> send(function, worker));
  }

  private static boolean wanted(FunctionRecord function) {
    return function.spec().scaling().prewarm() > 0;
  }

  private void send(FunctionRecord function, WorkerInfo worker) {
    send(function, worker, function.spec().scaling().prewarm());
  }

  private void send(FunctionRecord function, WorkerInfo worker, int target) {
    if (!POOLING_RUNTIMES.contains(worker.runtime())) {
      return;
    }
    workers.setPoolTarget(worker, function, target, epoch).onFailure(failure -> {
      if (failure instanceof WorkerClient.Unsupported) {
        return; // an older worker: it learns the target from the revision's creations
      }
      LOG.atWarn().setMessage("pool target not sent").addKeyValue("function", function.name())
          .addKeyValue("revision", function.revision()).addKeyValue("worker", worker.id())
          .addKeyValue("error", failure.getMessage()).log();
    });
  }
}
