package io.pulse.controlplane.placement;

/**
 * One live worker as the placement chain sees it: what it offers, what Pulse's instances hold there, its share of
 * what other workloads reserve on its host, and whether it is draining.
 */
public record Candidate(String workerId, int cpuMillis, int memoryMiB, int allocatedCpuMillis,
    int allocatedMemoryMiB, int reservedCpuMillis, int reservedMemoryMiB, boolean draining) {

  /** Capacity with reservations counted as allocated: what ranking and the no-fit reason look at. */
  public WorkerCapacity capacity() {
    return new WorkerCapacity(workerId, cpuMillis, memoryMiB, allocatedCpuMillis + reservedCpuMillis,
        allocatedMemoryMiB + reservedMemoryMiB);
  }
}
