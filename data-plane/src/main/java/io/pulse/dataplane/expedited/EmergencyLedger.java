package io.pulse.dataplane.expedited;

import io.pulse.dataplane.routing.RoutingTable;
import io.pulse.dataplane.routing.WorkerLoad;
import io.pulse.dataplane.routing.WorkerRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * What this data plane's Emergency Instances hold on each worker, and the round-robin cursor. Reservations are
 * decided under one short lock (no I/O inside), so two requests never take the same last bit of headroom. A worker
 * that just refused or failed a creation sits out a short cooldown; creations at once on a worker are bounded by the
 * fixed cap and by its {@link CreationLimit}, which follows how long they take.
 */
public final class EmergencyLedger {

  private record Usage(int cpuMillis, int memoryMiB, int creating) {
    Usage plus(int cpu, int memory, int creatingDelta) {
      return new Usage(cpuMillis + cpu, memoryMiB + memory, creating + creatingDelta);
    }
  }

  private static final Usage NONE = new Usage(0, 0, 0);

  private final int maxCreatingPerWorker;
  private final long cooldownNanos;
  private final LongSupplier nanoClock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, Usage> usage = new HashMap<>(); // guarded by lock
  private final Map<String, Long> coolingUntil = new HashMap<>(); // guarded by lock
  private final CreationLimit limits; // guarded by lock
  private int cursor; // guarded by lock

  public EmergencyLedger(int maxCreatingPerWorker, long cooldownMillis, LongSupplier nanoClock) {
    if (maxCreatingPerWorker < 1) {
      throw new IllegalArgumentException("emergencyCreationsPerWorker must be >= 1, was " + maxCreatingPerWorker);
    }
    this.maxCreatingPerWorker = maxCreatingPerWorker;
    this.limits = new CreationLimit(maxCreatingPerWorker);
    this.cooldownNanos = cooldownMillis * 1_000_000;
    this.nanoClock = nanoClock;
  }

  /** Headroom for one instance of {@code cpuMillis}/{@code memoryMiB} on the next worker that has it, or null. */
  public @Nullable Reservation reserve(RoutingTable table, int cpuMillis, int memoryMiB) {
    return reserve(table, cpuMillis, memoryMiB, Map.of(), CreationTicket.plain());
  }

  /** As below, with a plain creation ticket. */
  public @Nullable Reservation reserve(RoutingTable table, int cpuMillis, int memoryMiB,
      Map<String, Integer> readyPoolMembers) {
    return reserve(table, cpuMillis, memoryMiB, readyPoolMembers, CreationTicket.plain());
  }

  /**
   * As above, preferring a worker whose pool holds a ready sandbox of the revision ({@code readyPoolMembers}: worker
   * id to ready members) over the rotation. The reservation's creation holds {@code creation} until it ends; when
   * there is no headroom, {@code creation} is left unused (its owner gives back what it took).
   */
  public @Nullable Reservation reserve(RoutingTable table, int cpuMillis, int memoryMiB,
      Map<String, Integer> readyPoolMembers, CreationTicket creation) {
    List<WorkerRef> workers = table.workers();
    if (workers.isEmpty()) {
      return null;
    }
    lock.lock();
    try {
      long now = nanoClock.getAsLong();
      List<RoundRobinPlacement.Candidate> candidates = new ArrayList<>(workers.size());
      List<WorkerRef> refs = new ArrayList<>(workers.size());
      int[] regularCreating = new int[workers.size()];
      for (WorkerRef worker : workers) {
        Long cooling = coolingUntil.get(worker.id());
        if (worker.cpuMillis() <= 0 || (cooling != null && now - cooling < 0)) {
          continue; // capacity unknown, or cooling down after a failure
        }
        WorkerLoad regular = table.workerLoads().get(worker.id());
        Usage mine = usage.getOrDefault(worker.id(), NONE);
        int freeCpu = worker.cpuMillis() + worker.reserveCpuMillis() - (regular == null ? 0 : regular.cpuMillis())
            - mine.cpuMillis();
        int freeMemory = worker.memoryMiB() + worker.reserveMemoryMiB()
            - (regular == null ? 0 : regular.memoryMiB()) - mine.memoryMiB();
        regularCreating[refs.size()] = regular == null ? 0 : regular.creating();
        candidates.add(new RoundRobinPlacement.Candidate(worker.id(), freeCpu, freeMemory, mine.creating(),
            readyPoolMembers.getOrDefault(worker.id(), 0), limits.limit(worker.id())));
        refs.add(worker);
      }
      int picked = RoundRobinPlacement.pick(candidates, cpuMillis, memoryMiB, maxCreatingPerWorker, cursor);
      if (picked < 0) {
        return null;
      }
      cursor = picked + 1;
      WorkerRef worker = refs.get(picked);
      RoundRobinPlacement.Candidate chosen = candidates.get(picked);
      // The cap counts ours; what the creation runs beside counts the control plane's Regular creations too.
      int others = chosen.creating() + regularCreating[picked];
      Reservation.Start start = chosen.pooled() ? Reservation.Start.LIKELY_POOL_HIT
          : others == 0 ? Reservation.Start.ALONE : Reservation.Start.SHARED;
      usage.merge(worker.id(), NONE.plus(cpuMillis, memoryMiB, 1), (a, b) -> a.plus(cpuMillis, memoryMiB, 1));
      return new Reservation(worker, cpuMillis, memoryMiB, creation, start, chosen.pooled() ? 0 : others);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The creation of a reserved instance ended (either way): it no longer counts against the worker's creation bound,
   * and its ticket's other places are given back. The one place that does so; a second call does nothing.
   */
  public void creationEnded(Reservation reservation) {
    creationEnded(reservation, -1);
  }

  /**
   * As above, the creation having taken {@code nanos} (negative: no measure, as when it failed or never started),
   * which the worker's creation limit learns from unless the creation was a likely pool hit.
   */
  public void creationEnded(Reservation reservation, long nanos) {
    if (!reservation.creation().end()) {
      return;
    }
    if (nanos >= 0 && reservation.start() != Reservation.Start.LIKELY_POOL_HIT) {
      lock.lock();
      try {
        limits.measured(reservation.worker().id(), nanos, reservation.start() == Reservation.Start.ALONE);
      } finally {
        lock.unlock();
      }
    }
    update(reservation.worker().id(), 0, 0, -1);
    reservation.creation().runOnEnded(); // after the update: whoever it wakes sees the worker's count down
  }

  /** The instance is gone from the worker: its headroom is free again. */
  public void release(Reservation reservation) {
    update(reservation.worker().id(), -reservation.cpuMillis(), -reservation.memoryMiB(), 0);
  }

  /** How long a worker sits out after a refused or failed creation. */
  public long cooldownMillis() {
    return cooldownNanos / 1_000_000;
  }

  /** The worker refused or failed a creation: leave it out of placement for the cooldown. */
  public void coolDown(String workerId) {
    lock.lock();
    try {
      coolingUntil.put(workerId, nanoClock.getAsLong() + cooldownNanos);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Creations under way on a worker: this data plane's Emergency ones and the Regular ones {@code table} says the
   * control plane has under way there (what a new creation would run beside).
   */
  public int creatingOn(RoutingTable table, String workerId) {
    WorkerLoad regular = table.workerLoads().get(workerId);
    return creating(workerId) + (regular == null ? 0 : regular.creating());
  }

  /** This data plane's Emergency creations under way on a worker. */
  public int creating(String workerId) {
    lock.lock();
    try {
      return usage.getOrDefault(workerId, NONE).creating();
    } finally {
      lock.unlock();
    }
  }

  /** Each worker's creation limit now, where creations have set one (the others are at the fixed cap). */
  public Map<String, Integer> creationLimits() {
    lock.lock();
    try {
      return limits.limits();
    } finally {
      lock.unlock();
    }
  }

  /** Memory this data plane's Emergency Instances hold, summed over workers. */
  public int heldMemoryMiB() {
    lock.lock();
    try {
      return usage.values().stream().mapToInt(Usage::memoryMiB).sum();
    } finally {
      lock.unlock();
    }
  }

  private void update(String workerId, int cpu, int memory, int creating) {
    lock.lock();
    try {
      Usage next = usage.getOrDefault(workerId, NONE).plus(cpu, memory, creating);
      if (next.equals(NONE)) {
        usage.remove(workerId);
      } else {
        usage.put(workerId, next);
      }
    } finally {
      lock.unlock();
    }
  }
}
