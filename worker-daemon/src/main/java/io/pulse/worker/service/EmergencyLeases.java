package io.pulse.worker.service;

import io.pulse.common.time.PauseDetector;
import io.pulse.worker.sandbox.CreatorLease;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The leases of the Emergency Instances on this worker, and the reaping decision: which instances' creators stopped
 * renewing them. In memory, no I/O: {@link #expire()} returns the ids to delete, the caller deletes them. Time comes
 * from the injected monotonic clock (milliseconds), so tests drive it by hand.
 *
 * <p>A lease starts when its instance is ready (while a creation is under way the creator's call is open, and the
 * worker deletes the instance if that call is cancelled) or re-adopted after a worker restart, and runs for the
 * instance's {@code leaseMs} after that or after its last renewal. Every operation is O(1) per instance named; each
 * lease is one immutable entry replaced whole, so an expiry never undoes a renewal that came first.
 *
 * <p>Silence is counted only while this worker was there to hear it ({@link #watch}): after a pause of the worker
 * itself every lease runs for a full {@code leaseMs} again.
 */
final class EmergencyLeases {

  /** One instance's lease: renewable by {@code creator} only. */
  record Held(String creator, long leaseMs, long expiresAtMs) {}

  private final LongSupplier clockMs;
  /** Only the reaper's one timer calls {@link #watch}. */
  private final PauseDetector pauses;
  private final Map<String, Held> held = new ConcurrentHashMap<>();

  /**
   * @param pauseAfterMs a gap between two {@link #watch} calls longer than this means the worker did not run (the
   *     reaper calls it several times within it)
   */
  EmergencyLeases(LongSupplier clockMs, long pauseAfterMs) {
    this.clockMs = clockMs;
    this.pauses = new PauseDetector(pauseAfterMs);
  }

  /** Starts a lease for {@code instanceId} now; nothing when {@code lease} holds none. */
  void grant(String instanceId, CreatorLease lease) {
    if (lease.held()) {
      held.put(instanceId, new Held(lease.creator(), lease.leaseMs(), clockMs.getAsLong() + lease.leaseMs()));
    }
  }

  /** Renews the leases of {@code creator}'s instances among {@code instanceIds}; returns the ids it could not. */
  List<String> renew(String creator, Collection<String> instanceIds) {
    long now = clockMs.getAsLong();
    List<String> unknown = new ArrayList<>(0);
    for (String id : instanceIds) {
      Held renewed = held.computeIfPresent(id, (k, lease) -> lease.creator().equals(creator)
          ? new Held(lease.creator(), lease.leaseMs(), now + lease.leaseMs()) : lease);
      if (renewed == null || !renewed.creator().equals(creator)) {
        unknown.add(id);
      }
    }
    return unknown;
  }

  /** Drops the lease of a deleted instance. */
  void release(String instanceId) {
    held.remove(instanceId);
  }

  /**
   * Marks a moment this worker was running; the reaper calls it before each {@link #expire}. After a gap longer than
   * {@code pauseAfterMs} the worker itself did not run (its VM paused for a snapshot or a migration, a long GC): the
   * renewals sent meanwhile were not heard, and the creators' own timers were likely frozen with it, so every lease
   * runs a full {@code leaseMs} from now. Without this, a pause longer than the lease deletes every Emergency Instance
   * on the worker, busy ones included, before their creators' next renewal lands.
   *
   * @return how long this worker was not watching (0: it was)
   */
  long watch() {
    long now = clockMs.getAsLong();
    long unwatched = pauses.observe(now);
    if (unwatched == 0) {
      return 0;
    }
    held.replaceAll((id, lease) -> new Held(lease.creator(), lease.leaseMs(), now + lease.leaseMs()));
    return unwatched;
  }

  /** Takes out every lease that has run out and returns them by instance id: those instances are to be deleted. */
  SortedMap<String, Held> expire() {
    long now = clockMs.getAsLong();
    SortedMap<String, Held> expired = new TreeMap<>();
    held.forEach((id, lease) -> {
      if (now - lease.expiresAtMs() >= 0 && held.remove(id, lease)) {
        expired.put(id, lease);
      }
    });
    return expired;
  }

  /** The lease of an instance, if it holds one (diagnostics and tests). */
  @Nullable Held lease(String instanceId) {
    return held.get(instanceId);
  }

  int size() {
    return held.size();
  }
}
