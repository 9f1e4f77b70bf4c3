package io.pulse.controlplane.pools;

import io.pulse.common.retry.Backoff;
import io.pulse.controlplane.instances.CommandAnswer;
import io.pulse.controlplane.instances.WorkerCommand.SetPoolTarget;
import io.pulse.controlplane.membership.WorkerInfo;
import io.pulse.controlplane.registry.FunctionRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which pooling (containerd, fake) workers to tell a revision's pool target ({@code scaling.prewarm}) ahead of
 * its first creation there, so that even that one can be a pool hit. Sends nothing: it returns the
 * {@link SetPoolTarget} commands, the applier sends them (the worker fences by epoch) and hands each answer back
 * ({@link #answered}). A target that failed is sent again once its retry deadline passed ({@link #due}, doubling
 * {@link #RETRY}) unless a newer one for the same worker and function went out meanwhile. On the scheduler's context.
 */
public final class PoolTargetSender {

  private static final Logger LOG = LoggerFactory.getLogger(PoolTargetSender.class);
  /** containerd pools; the fake runtime simulates its pools for trace replays. */
  static final java.util.Set<String> POOLING_RUNTIMES = java.util.Set.of("containerd", "fake");
  static final Backoff RETRY = Backoff.doubling(1_000, 60_000);
  /** How often fixed targets are told again: well within the worker's 10 minutes before it drains an unasked pool. */
  static final long REFRESH_MS = 60_000;

  private record Key(String workerId, String function) {}

  /** @param next the wait after the next failure */
  private record Retry(long atMillis, Backoff next) {}

  private final Predicate<String> hasPools;
  /** The last target sent per worker and function, until the worker took it: only its answer counts. */
  private final Map<Key, SetPoolTarget> latest = new HashMap<>();
  private final Map<Key, Retry> retries = new HashMap<>();
  /** When the fixed targets are told again (0: not yet known, set at the first {@link #refresh}). */
  private long nextRefreshMs;

  /** @param hasPools whether workers report pools of a function (then a prewarm of 0 is worth sending: it drains) */
  public PoolTargetSender(Predicate<String> hasPools) {
    this.hasPools = hasPools;
  }

  /**
   * A function was registered or changed (maybe a new revision): its target on every given worker. An automatic
   * prewarm sends 0 where pools of the function exist (draining an older revision's, or a fixed prewarm's it had
   * before); {@link AutoPoolSizer} sets the new revision's targets at its next tick.
   */
  public List<SetPoolTarget> functionUpserted(FunctionRecord function, Collection<WorkerInfo> on) {
    List<SetPoolTarget> commands = new ArrayList<>();
    if (wanted(function) || hasPools.test(function.name())) {
      on.forEach(worker -> target(function, worker, function.spec().scaling().prewarm(), commands));
    }
    return commands;
  }

  /**
   * A function was deleted: a target of 0 for its last revision drains its pools (and any older revision's) on every
   * given worker that may hold some, at once rather than when the worker finds them idle.
   */
  public List<SetPoolTarget> functionDeleted(FunctionRecord last, Collection<WorkerInfo> on) {
    List<SetPoolTarget> commands = new ArrayList<>();
    if (wanted(last) || last.spec().scaling().prewarmAuto() || hasPools.test(last.name())) {
      on.forEach(worker -> target(last, worker, 0, commands));
    }
    return commands;
  }

  /** A worker joined: the targets of the functions that want pools. */
  public List<SetPoolTarget> workerJoined(WorkerInfo worker, Collection<FunctionRecord> functions) {
    List<SetPoolTarget> commands = new ArrayList<>();
    functions.stream().filter(PoolTargetSender::wanted)
        .forEach(function -> target(function, worker, function.spec().scaling().prewarm(), commands));
    return commands;
  }

  /**
   * Every {@link #REFRESH_MS}, the fixed targets again on every pooling worker with a pool budget. A worker drains a
   * pool whose revision saw no target or creation for 10 minutes (what it falls back on when it missed a function's
   * deletion), and a fixed prewarm is told only when it changes: without this, a function idle for 10 minutes lost
   * its pools and its next creation, the one a prewarm is for, missed. {@link AutoPoolSizer} refreshes its own
   * targets the same way. Nothing at the first call: the workers were just told (they joined, or the function came).
   */
  public List<SetPoolTarget> refresh(Collection<FunctionRecord> functions, Collection<WorkerInfo> alive, long now) {
    if (nextRefreshMs == 0) {
      nextRefreshMs = now + REFRESH_MS;
    }
    if (now < nextRefreshMs) {
      return List.of();
    }
    nextRefreshMs = now + REFRESH_MS;
    List<SetPoolTarget> commands = new ArrayList<>();
    List<WorkerInfo> budgeted = alive.stream().filter(w -> w.poolMembers() > 0).toList();
    functions.stream().filter(PoolTargetSender::wanted).forEach(function ->
        budgeted.forEach(worker -> target(function, worker, function.spec().scaling().prewarm(), commands)));
    return commands;
  }

  /** What the worker answered: a failure is sent again at its retry deadline. */
  public void answered(SetPoolTarget command, CommandAnswer answer, long now) {
    Key key = new Key(command.worker().id(), command.function().name());
    if (latest.get(key) != command) {
      return; // a newer target is on its way (or the worker left)
    }
    if (!(answer instanceof CommandAnswer.Failed failed)) {
      latest.remove(key); // done, or an older worker that learns the target from the revision's creations
      retries.remove(key);
      return;
    }
    Retry earlier = retries.get(key);
    Backoff backoff = earlier == null ? RETRY : earlier.next();
    retries.put(key, new Retry(now + backoff.delayMillis(), backoff.next()));
    LOG.atWarn().setMessage("pool target not sent").addKeyValue("function", command.function().name())
        .addKeyValue("revision", command.function().revision()).addKeyValue("worker", command.worker().id())
        .addKeyValue("error", failed.error()).addKeyValue("retry_ms", backoff.delayMillis()).log();
  }

  /** The failed targets whose retry deadline passed: sent again (once; their answer sets the next deadline). */
  public List<SetPoolTarget> due(long now) {
    List<SetPoolTarget> commands = new ArrayList<>();
    for (Map.Entry<Key, Retry> entry : retries.entrySet()) {
      if (entry.getValue().atMillis() <= now) {
        commands.add(latest.get(entry.getKey()));
        entry.setValue(new Retry(Long.MAX_VALUE, entry.getValue().next()));
      }
    }
    return commands;
  }

  /** A worker left: its targets are not sent again (it is told them all when it registers). */
  public void forgetWorker(String workerId) {
    latest.keySet().removeIf(key -> key.workerId().equals(workerId));
    retries.keySet().removeIf(key -> key.workerId().equals(workerId));
  }

  private static boolean wanted(FunctionRecord function) {
    return function.spec().scaling().prewarm() > 0;
  }

  private void target(FunctionRecord function, WorkerInfo worker, int target, List<SetPoolTarget> into) {
    if (POOLING_RUNTIMES.contains(worker.runtime())) {
      SetPoolTarget command = new SetPoolTarget(worker, function, target);
      Key key = new Key(worker.id(), function.name());
      latest.put(key, command); // supersedes one that failed or is on its way
      retries.remove(key);
      into.add(command);
    }
  }
}
