package io.pulse.dataplane.expedited;

import io.pulse.dataplane.routing.WorkerRef;

/**
 * Headroom held on one worker for one Emergency Instance, from placement until its deletion completes; its
 * {@code creation} holds the creation places until the creation ends; {@code start} says what its creation time tells
 * the worker's {@link CreationLimit}, and {@code othersCreating} how many creations were under way on the worker when
 * it was placed (this data plane's and the control plane's Regular ones), which its time was shared with (0 for a
 * likely pool hit: a claim is not slowed like a creation).
 */
public record Reservation(WorkerRef worker, int cpuMillis, int memoryMiB, CreationTicket creation, Start start,
    int othersCreating) {

  /** How the creation began. */
  public enum Start {
    /** Placed where a ready pool member of the revision was: its time says nothing of the worker's creations. */
    LIKELY_POOL_HIT,
    /** No other creation was under way on the worker (ours or a Regular one). */
    ALONE,
    /** Others were. */
    SHARED
  }

  public Reservation(WorkerRef worker, int cpuMillis, int memoryMiB) {
    this(worker, cpuMillis, memoryMiB, CreationTicket.plain(), Start.SHARED, 1);
  }
}
