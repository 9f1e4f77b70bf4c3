package io.pulse.controlplane.accounting;

import org.jspecify.annotations.Nullable;

/**
 * Totals of one kind of instance (or of both) over an accounting window.
 *
 * @param heldMiBSeconds memory held by every instance, integrated over time
 * @param busyMiBSeconds memory of instances while busy, integrated over time
 * @param creations instances created (adopted ones excluded)
 * @param meanCreationMillis mean creation latency of the creations whose latency is known; null when none is
 * @param live instances alive at the snapshot's instant
 */
public record Usage(double heldMiBSeconds, double busyMiBSeconds, long creations,
    @Nullable Double meanCreationMillis, int live) {

  /** Held over busy (PulseNet's normalized cost); null while nothing was busy. */
  public @Nullable Double normalizedCost() {
    return busyMiBSeconds > 0 ? heldMiBSeconds / busyMiBSeconds : null;
  }
}
