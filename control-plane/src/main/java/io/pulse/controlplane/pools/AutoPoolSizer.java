package io.pulse.controlplane.pools;

import io.pulse.controlplane.instances.CommandAnswer;
import io.pulse.controlplane.instances.WorkerCommand.SetPoolTarget;
import io.pulse.controlplane.membership.WorkerInfo;
import io.pulse.controlplane.registry.FunctionRecord;
import io.pulse.controlplane.status.FunctionStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin adapter of {@link PoolSizing}: feeds it the functions with {@code scaling.prewarm: "auto"}, their
 * creations per worker over a sixth of their keep-alive ({@link CreationLog}), refill times (the workers' pool
 * reports, else the creations' own times) and each pooling worker's budget less what fixed prewarms hold there, and
 * returns the targets that changed as {@link SetPoolTarget} commands for the applier to send (fenced by epoch). A
 * target is sent again after {@code refreshMs} while it is above 0: the worker drains a pool nobody asked for in 10
 * minutes. On the control plane's context; a send that failed ({@link #answered}) is retried at the next tick.
 */
public final class AutoPoolSizer {

  private static final Logger LOG = LoggerFactory.getLogger(AutoPoolSizer.class);
  /** The window is this fraction of the function's keep-alive: 10 s at the default 60 s. */
  static final int WINDOW_PER_KEEP_ALIVE = 6;
  /** Refill time assumed before any creation of the function was timed: a containerd creation, rounded up. */
  static final double UNKNOWN_REFILL_SECONDS = 0.5;
  static final long REFRESH_MS = 60_000;

  private record Sent(long revision, int target, long atMs) {}

  private final PoolSizing.Settings settings;
  private final CreationLog log = new CreationLog();
  /** Worker id to function to what it was last told. */
  private final Map<String, Map<String, Sent>> sent = new HashMap<>();
  /** Functions whose targets this sizer set or took over: the workers' targets of them are no longer a past term's. */
  private final Set<String> owned = new HashSet<>();

  public AutoPoolSizer(PoolSizing.Settings settings) {
    this.settings = settings;
  }

  /**
   * A creation on either track: a Regular Instance of this leader's, or an Emergency Instance as the accounting ledger
   * first learnt of it (a worker's listing or a data plane's usage report), on {@code workerId}.
   */
  public void created(String function, String workerId, long now) {
    log.created(function, workerId, now);
  }

  /** A creation's latency became known. */
  public void ready(String function, double creationSeconds) {
    log.ready(function, creationSeconds);
  }

  /**
   * A worker registered (joined, or came back after a restart that lost its pools): it is told its targets again at
   * the next tick.
   */
  public void workerJoined(String workerId) {
    sent.remove(workerId);
  }

  public void forget(String function) {
    log.forget(function);
    owned.remove(function);
    sent.values().forEach(byFunction -> byFunction.remove(function));
  }

  /**
   * Decides what changed.
   *
   * @param functions every registered function
   * @param alive the live workers
   * @param pools the pools the workers report of a function
   * @return the targets to send
   */
  public List<SetPoolTarget> tick(Collection<FunctionRecord> functions, Collection<WorkerInfo> alive,
      Function<String, List<FunctionStatus.Pool>> pools, long now) {
    List<FunctionRecord> auto = functions.stream().filter(f -> f.spec().scaling().prewarmAuto()).toList();
    List<WorkerInfo> pooling = alive.stream()
        .filter(w -> PoolTargetSender.POOLING_RUNTIMES.contains(w.runtime()) && w.poolMembers() > 0).toList();
    sent.keySet().retainAll(pooling.stream().map(WorkerInfo::id).toList());
    Map<String, FunctionRecord> byName = new HashMap<>();
    auto.forEach(f -> byName.put(f.name(), f));
    sent.values().forEach(byFunction -> byFunction.keySet().retainAll(byName.keySet()));
    log.retain(byName.keySet()); // every function's creations are fed in: keep only those sized here
    if (auto.isEmpty() || pooling.isEmpty()) {
      return List.of();
    }
    List<PoolSizing.Demand> demands = new ArrayList<>();
    for (FunctionRecord function : auto) {
      List<FunctionStatus.Pool> reported = pools.apply(function.name());
      double refill = refillSeconds(function, reported, log.creationSeconds(function.name()));
      takeOver(function, reported, refill, now);
      long window = windowMs(function);
      demands.add(new PoolSizing.Demand(function.name(), log.recent(function.name(), window, now), window / 1e3,
          refill, function.spec().resources().memoryMiB()));
    }
    List<FunctionRecord> fixed = functions.stream().filter(f -> f.spec().scaling().prewarm() > 0).toList();
    List<PoolSizing.Budget> budgets = pooling.stream().map(w -> budget(w, fixed)).toList();
    Map<String, Map<String, Integer>> targets = PoolSizing.targets(demands, budgets, settings);
    List<SetPoolTarget> commands = new ArrayList<>();
    for (WorkerInfo worker : pooling) {
      Map<String, Sent> told = sent.computeIfAbsent(worker.id(), id -> new HashMap<>());
      targets.getOrDefault(worker.id(), Map.of()).forEach((name, target) -> {
        FunctionRecord function = byName.get(name);
        if (due(told.get(name), function.revision(), target, now)) {
          told.put(name, new Sent(function.revision(), target, now));
          owned.add(name);
          LOG.atInfo().setMessage("automatic pool target").addKeyValue("function", name)
              .addKeyValue("revision", function.revision()).addKeyValue("worker", worker.id())
              .addKeyValue("target", target).log();
          commands.add(new SetPoolTarget(worker, function, target));
        }
      });
    }
    return commands;
  }

  /** What the worker answered: a failure is told again at the next tick (an older worker is never asked again). */
  public void answered(SetPoolTarget command, CommandAnswer answer) {
    if (answer instanceof CommandAnswer.Failed failed) {
      Map<String, Sent> told = sent.get(command.worker().id());
      Sent last = told == null ? null : told.get(command.function().name());
      if (last != null && last.revision() == command.function().revision() && last.target() == command.target()) {
        told.remove(command.function().name());
      }
      LOG.atWarn().setMessage("pool target not sent").addKeyValue("function", command.function().name())
          .addKeyValue("worker", command.worker().id()).addKeyValue("error", failed.error()).log();
    }
  }

  /**
   * A new leader's log is empty, so it would size every pool down to what it sees from now on (nothing at first):
   * the first targets the workers report of the current revision, before this sizer told them any, are the previous
   * term's, and the rate that sized each worker's is carried over into the log (where it ages out as the lost
   * creations would have). Once per function and term.
   */
  private void takeOver(FunctionRecord function, List<FunctionStatus.Pool> reported, double refillSeconds, long now) {
    if (owned.contains(function.name())) {
      return;
    }
    List<FunctionStatus.Pool> held = reported.stream()
        .filter(p -> p.revision() == function.revision() && p.target() > 0).toList();
    if (!held.isEmpty()) {
      owned.add(function.name());
      held.forEach(pool -> log.restore(function.name(), pool.workerId(),
          PoolSizing.creationsPerSecond(pool.target(), refillSeconds, settings), now));
    }
  }

  /**
   * The window creations are counted over: a sixth of the function's keep-alive, so a pool is held for a fraction of
   * the time an idle instance is (in a trace replay it scales with the compressed keep-alive).
   */
  static long windowMs(FunctionRecord function) {
    return Math.max(1_000L, function.spec().scaling().keepAliveSeconds() * 1_000L / WINDOW_PER_KEEP_ALIVE);
  }

  /** Whether a worker must be told {@code target}: it changed, a new revision (0 drains the old), or a refresh. */
  private static boolean due(@Nullable Sent last, long revision, int target, long now) {
    if (last == null) {
      return target > 0;
    }
    return last.target() != target || last.revision() != revision || (target > 0 && now - last.atMs() >= REFRESH_MS);
  }

  /**
   * The slowest worker's refill time of the revision (a pool sized for it is large enough on the faster ones); before
   * any member was made, the function's own creation time (those were misses: whole creations), else a guess.
   */
  static double refillSeconds(FunctionRecord function, List<FunctionStatus.Pool> pools, double creationSeconds) {
    long micros = pools.stream().filter(p -> p.revision() == function.revision())
        .mapToLong(FunctionStatus.Pool::refillMicros).max().orElse(0);
    if (micros > 0) {
      return micros / 1e6;
    }
    return creationSeconds > 0 ? creationSeconds : UNKNOWN_REFILL_SECONDS;
  }

  /** What the worker's pools may hold for automatic pools: its budget less the fixed prewarms it is told to hold. */
  private static PoolSizing.Budget budget(WorkerInfo worker, List<FunctionRecord> fixed) {
    long members = worker.poolMembers();
    long memory = worker.poolMemoryMiB();
    for (FunctionRecord function : fixed) {
      members -= function.spec().scaling().prewarm();
      memory -= (long) function.spec().scaling().prewarm() * function.spec().resources().memoryMiB();
    }
    return new PoolSizing.Budget(worker.id(), (int) Math.max(0, members), Math.max(0, memory));
  }
}
