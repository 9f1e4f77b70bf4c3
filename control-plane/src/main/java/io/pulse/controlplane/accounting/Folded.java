package io.pulse.controlplane.accounting;

/**
 * Totals of instances the ledger no longer keeps one by one (ended longer ago than its retention), per function and
 * kind.
 *
 * @param heldMiBMillis memory held, MiB-milliseconds
 * @param busyMiBMillis memory of busy time, MiB-milliseconds
 * @param creations instances created (adopted ones excluded)
 * @param timedCreations creations whose latency is known
 * @param creationMicros sum of those latencies
 */
public record Folded(double heldMiBMillis, double busyMiBMillis, long creations, long timedCreations,
    long creationMicros) {

  public static final Folded ZERO = new Folded(0, 0, 0, 0, 0);

  Folded plus(InstanceAccount account, long now) {
    Long micros = account.creationMicros();
    boolean timed = micros != null && !account.adopted();
    return new Folded(heldMiBMillis + account.heldMiBMillis(now), busyMiBMillis + account.busyMiBMillis(),
        creations + (account.adopted() ? 0 : 1), timedCreations + (timed ? 1 : 0),
        creationMicros + (timed ? micros : 0));
  }

  Folded plus(Folded other) {
    return new Folded(heldMiBMillis + other.heldMiBMillis, busyMiBMillis + other.busyMiBMillis,
        creations + other.creations, timedCreations + other.timedCreations, creationMicros + other.creationMicros);
  }
}
