package io.pulse.controlplane.membership;

import io.pulse.common.time.PauseDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The worker registry of one control plane. A worker is alive from its registration until {@code workerTimeoutMillis}
 * pass without a heartbeat. Whether it is draining comes from one place, the drain store that the drain replication
 * writes (an operator's drain outlives the term that took it): a worker registers as the store says, and
 * {@link #syncDrains()} applies what the store says now; nothing else sets it. Not thread-safe: one context owns it.
 */
public final class Membership {

  private static final long NEVER = Long.MIN_VALUE;

  private final long epoch;
  private final long workerTimeoutMillis;
  private final Supplier<Set<String>> drainStore;
  /** Housekeeping runs at least every quarter of the timeout: a gap of half of it is this control plane's pause. */
  private final PauseDetector pauses;
  /** No worker is declared dead before this: this control plane had stopped hearing them ({@link #watch}). */
  private long excusedUntilMillis = NEVER;
  /** By id: every listing below is in id order without a sort (the snapshot lists them all per publish). */
  private final Map<String, WorkerState> workers = new TreeMap<>();
  /** alive() and schedulable(), sorted, computed once per change of either set (placement reads them per creation). */
  private @Nullable List<WorkerInfo> aliveCache;
  private @Nullable List<WorkerInfo> schedulableCache;
  /** Told every change of a worker's registration, liveness or draining (placement's index follows them). */
  private Consumer<WorkerState> listener = state -> { };

  /**
   * @param epoch stamped on every command to workers (the control plane's start time for now)
   */
  public Membership(long epoch, long workerTimeoutMillis) {
    this(epoch, workerTimeoutMillis, Set::of);
  }

  /**
   * @param drainStore the ids of the workers whose drain is on record now (the replicated drain entries): the only
   *     source of draining
   */
  public Membership(long epoch, long workerTimeoutMillis, Supplier<Set<String>> drainStore) {
    this.epoch = epoch;
    this.workerTimeoutMillis = workerTimeoutMillis;
    this.drainStore = drainStore;
    this.pauses = new PauseDetector(workerTimeoutMillis / 2);
  }

  public long epoch() {
    return epoch;
  }

  /** From now on, {@code value} hears the new state of every worker that registers, dies or (stops) draining. */
  public void listen(Consumer<WorkerState> value) {
    this.listener = value;
  }

  /** Registers or re-registers a worker; the previous state, if any, is returned. */
  public Optional<WorkerState> register(WorkerInfo info, long nowMillis) {
    WorkerState previous = workers.get(info.id());
    boolean draining = drainStore.get().contains(info.id());
    WorkerState state = new WorkerState(info, nowMillis, nowMillis, true, draining);
    workers.put(info.id(), state);
    invalidate();
    listener.accept(state);
    return Optional.ofNullable(previous);
  }

  /** Records a heartbeat; false when the worker is unknown or was declared dead (it must register again). */
  public boolean heartbeat(String workerId, long nowMillis) {
    WorkerState state = workers.get(workerId);
    if (state == null || !state.alive()) {
      return false;
    }
    workers.put(workerId, new WorkerState(state.info(), state.registeredAtMillis(), nowMillis, true,
        state.draining()));
    return true;
  }

  /**
   * Marks a moment this control plane was running and listening; its housekeeping calls it before each
   * {@link #expire}. When more than half the timeout passed since the previous one, it was not (its VM paused for a
   * snapshot or a migration, a long GC, a blocked loop, a clock stepped forward): the heartbeats it did not hear say
   * nothing of the workers, whose own heartbeat timers were likely frozen with it and fire late, so no worker is
   * declared dead until a full timeout after now. Without this, a pause longer than the timeout kills every worker at
   * once, and all their instances are dropped and made again.
   *
   * @return how long this control plane was not watching (0: it was)
   */
  public long watch(long nowMillis) {
    long unwatched = pauses.observe(nowMillis);
    if (unwatched == 0) {
      return 0;
    }
    excusedUntilMillis = Math.max(excusedUntilMillis, nowMillis + workerTimeoutMillis);
    return unwatched;
  }

  /** When the next live worker is declared dead if it stays silent, or {@link Long#MAX_VALUE} when none lives. */
  public long nextExpiryMillis() {
    long next = Long.MAX_VALUE;
    for (WorkerState state : workers.values()) {
      if (state.alive()) {
        next = Math.min(next, state.lastHeartbeatMillis() + workerTimeoutMillis);
      }
    }
    return next == Long.MAX_VALUE ? next : Math.max(next, excusedUntilMillis);
  }

  /** Declares dead every live worker silent for the timeout (none while a pause is excused) and returns them. */
  public List<WorkerState> expire(long nowMillis) {
    if (nowMillis < excusedUntilMillis) {
      return List.of();
    }
    List<WorkerState> died = new ArrayList<>();
    for (WorkerState state : List.copyOf(workers.values())) {
      if (state.alive() && nowMillis - state.lastHeartbeatMillis() >= workerTimeoutMillis) {
        WorkerState dead = new WorkerState(state.info(), state.registeredAtMillis(), state.lastHeartbeatMillis(),
            false, state.draining());
        workers.put(state.id(), dead);
        died.add(dead);
        invalidate();
        listener.accept(dead);
      }
    }
    return died;
  }

  /**
   * Brings every known worker's draining in line with the drain store (a drain or resume this term recorded, or one
   * a registry merge brought). O(workers), so called when the store may have changed, not per event.
   *
   * @return the workers whose draining changed, by id
   */
  public List<WorkerState> syncDrains() {
    Set<String> drained = drainStore.get();
    List<WorkerState> changed = new ArrayList<>();
    for (WorkerState state : all()) {
      if (state.draining() != drained.contains(state.id())) {
        WorkerState next = state.withDraining(!state.draining());
        workers.put(state.id(), next);
        invalidate();
        listener.accept(next);
        changed.add(next);
      }
    }
    return changed;
  }

  /** True when the worker registered in this term (alive or dead since). */
  public boolean knows(String workerId) {
    return workers.containsKey(workerId);
  }

  public boolean isDraining(String workerId) {
    WorkerState state = workers.get(workerId);
    return state != null && state.draining();
  }

  /** Live workers that may receive new instances (not draining), by id. */
  public List<WorkerInfo> schedulable() {
    if (schedulableCache == null) {
      schedulableCache = workers.values().stream().filter(WorkerState::schedulable).map(WorkerState::info).toList();
    }
    return schedulableCache;
  }

  private void invalidate() {
    aliveCache = null;
    schedulableCache = null;
  }

  public Optional<WorkerState> get(String workerId) {
    return Optional.ofNullable(workers.get(workerId));
  }

  public boolean isAlive(String workerId) {
    WorkerState state = workers.get(workerId);
    return state != null && state.alive();
  }

  /** Every known worker, alive or dead, by id. */
  public List<WorkerState> all() {
    return List.copyOf(workers.values());
  }

  /** Live workers, by id. */
  public List<WorkerInfo> alive() {
    if (aliveCache == null) {
      aliveCache = workers.values().stream().filter(WorkerState::alive).map(WorkerState::info).toList();
    }
    return aliveCache;
  }
}
