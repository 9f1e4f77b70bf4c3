package io.pulse.controlplane.accounting;

import org.jspecify.annotations.Nullable;

/**
 * One instance's account.
 *
 * @param createdAtMillis when its creation was asked for (memory is held from then on)
 * @param creationMicros time from the creation request to readiness; null while unknown (pending, adopted, or an
 *     Emergency Instance only seen in a worker's listing so far)
 * @param endedAtMillis when it was removed; 0 while it lives
 * @param busyMicros time with at least one request in flight, as the data planes reported it
 * @param adopted found running by this leader term rather than created by it
 */
public record InstanceAccount(String id, String function, InstanceKind kind, String workerId, int memoryMiB,
    long createdAtMillis, @Nullable Long creationMicros, long endedAtMillis, long busyMicros, boolean adopted) {

  public boolean live() {
    return endedAtMillis == 0;
  }

  /** Milliseconds it has lived (so far, at {@code now}, while it lives). */
  public long lifetimeMillis(long now) {
    long end = live() ? now : endedAtMillis;
    return Math.max(0, end - createdAtMillis);
  }

  /** Memory held over its lifetime up to {@code now}, in MiB-milliseconds. */
  public double heldMiBMillis(long now) {
    return (double) memoryMiB * lifetimeMillis(now);
  }

  /** Memory of its busy time, in MiB-milliseconds. */
  public double busyMiBMillis() {
    return memoryMiB * (busyMicros / 1_000.0);
  }

  InstanceAccount withBusy(long addMicros) {
    return new InstanceAccount(id, function, kind, workerId, memoryMiB, createdAtMillis, creationMicros,
        endedAtMillis, busyMicros + addMicros, adopted);
  }

  InstanceAccount withCreation(long micros) {
    return new InstanceAccount(id, function, kind, workerId, memoryMiB, createdAtMillis, micros, endedAtMillis,
        busyMicros, adopted);
  }

  InstanceAccount endedAt(long millis) {
    return new InstanceAccount(id, function, kind, workerId, memoryMiB, createdAtMillis, creationMicros,
        Math.max(millis, createdAtMillis), busyMicros, adopted);
  }
}
