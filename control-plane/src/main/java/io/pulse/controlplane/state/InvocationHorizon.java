package io.pulse.controlplane.state;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * When an async invocation's entry may be dropped for good: once its {@link StoredInvocation#lastActivity()} is more
 * than {@code horizon} ago. A tombstone exists only so that a stale copy cannot bring the entry back; ids are never
 * reused, so once no copy older than the tombstone can still be accepted, the tombstone is dead weight. Every replica
 * drops such entries from its store and memory, the leader from the replicated map, and no replica persists or offers
 * one (from a map event or a merge): a replica back from an absence longer than the horizon, or started from an old
 * data dir, therefore cannot resurrect what the others purged. Functions, secrets and drains are never purged.
 */
public record InvocationHorizon(Duration horizon) {

  /** Well beyond any replica's absence we expect, and any invocation's wait for an attempt. */
  public static final InvocationHorizon DEFAULT = new InvocationHorizon(Duration.ofHours(24));

  public InvocationHorizon {
    if (horizon.isNegative() || horizon.isZero()) {
      throw new IllegalArgumentException("horizon must be > 0, was " + horizon);
    }
  }

  /** True for an invocation entry (live or tombstone) past the horizon at {@code now}; false for anything else. */
  public boolean expired(StoredEntry entry, Instant now) {
    return entry instanceof StoredInvocation invocation
        && !invocation.lastActivity().plus(horizon).isAfter(now);
  }

  /** The keys of {@code entries} past the horizon at {@code now}. */
  public List<String> expiredKeys(Map<String, StoredEntry> entries, Instant now) {
    return entries.values().stream().filter(entry -> expired(entry, now)).map(StoredEntry::key).toList();
  }
}
