package io.pulse.controlplane.placement;

/** Whether a worker can take a request at all. */
final class Feasibility {

  private Feasibility() {}

  static boolean cpuFits(WorkerCapacity worker, ResourceRequest request) {
    return request.cpuMillis() <= worker.freeCpuMillis();
  }

  static boolean memoryFits(WorkerCapacity worker, ResourceRequest request) {
    return request.memoryMiB() <= worker.freeMemoryMiB();
  }
}
