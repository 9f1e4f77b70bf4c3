package io.pulse.controlplane.placement;

import java.util.Comparator;

/**
 * Prefers the worker that would be least allocated after taking the request: the mean of its CPU and memory shares,
 * which spreads load. Ties go to the smaller worker id so the same snapshot always gives the same answer.
 */
final class LeastAllocatedRanker {

  private LeastAllocatedRanker() {}

  static double score(WorkerCapacity worker, ResourceRequest request) {
    double cpu = share(worker.allocatedCpuMillis() + request.cpuMillis(), worker.cpuMillis());
    double memory = share(worker.allocatedMemoryMiB() + request.memoryMiB(), worker.memoryMiB());
    return (cpu + memory) / 2;
  }

  static Comparator<WorkerCapacity> order(ResourceRequest request) {
    return Comparator.<WorkerCapacity>comparingDouble(w -> score(w, request)).thenComparing(WorkerCapacity::workerId);
  }

  private static double share(long used, long capacity) {
    return capacity <= 0 ? 1.0 : (double) used / capacity;
  }
}
