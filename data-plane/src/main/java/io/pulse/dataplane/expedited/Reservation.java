package io.pulse.dataplane.expedited;

import io.pulse.dataplane.routing.WorkerRef;

/**
 * Headroom held on one worker for one Emergency Instance, from placement until its deletion completes; its
 * {@code creation} holds the creation places until the creation ends.
 */
public record Reservation(WorkerRef worker, int cpuMillis, int memoryMiB, CreationTicket creation) {

  public Reservation(WorkerRef worker, int cpuMillis, int memoryMiB) {
    this(worker, cpuMillis, memoryMiB, CreationTicket.plain());
  }
}
