package io.pulse.controlplane.placement;

/** One live worker as placement sees it: its capacity and what pending and ready instances already hold. */
public record WorkerCapacity(String workerId, int cpuMillis, int memoryMiB, int allocatedCpuMillis,
    int allocatedMemoryMiB) {

  int freeCpuMillis() {
    return cpuMillis - allocatedCpuMillis;
  }

  int freeMemoryMiB() {
    return memoryMiB - allocatedMemoryMiB;
  }
}
