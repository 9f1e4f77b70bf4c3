package io.pulse.controlplane.membership;

/**
 * A worker daemon as it describes itself.
 *
 * @param address {@code host:port} of its WorkerService
 * @param runtime {@code process}, {@code containerd} or {@code fake}
 * @param cpuMillis CPU Regular Instances may be placed on
 * @param reserveCpuMillis CPU the worker keeps back for Emergency Instances (beyond {@code cpuMillis})
 * @param reserveMemoryMiB memory the worker keeps back for Emergency Instances (beyond {@code memoryMiB})
 * @param poolMembers sandboxes its pools may hold together (containerd {@code --pool-members}; 0: no pools)
 * @param poolMemoryMiB memory its pools may hold together, already left out of {@code memoryMiB}
 */
public record WorkerInfo(String id, String address, String hostname, String runtime, int cpuMillis, int memoryMiB,
    int reserveCpuMillis, int reserveMemoryMiB, int poolMembers, int poolMemoryMiB) {

  /** A worker without sandbox pools. */
  public WorkerInfo(String id, String address, String hostname, String runtime, int cpuMillis, int memoryMiB,
      int reserveCpuMillis, int reserveMemoryMiB) {
    this(id, address, hostname, runtime, cpuMillis, memoryMiB, reserveCpuMillis, reserveMemoryMiB, 0, 0);
  }

  /** A worker that keeps nothing back for Emergency Instances. */
  public WorkerInfo(String id, String address, String hostname, String runtime, int cpuMillis, int memoryMiB) {
    this(id, address, hostname, runtime, cpuMillis, memoryMiB, 0, 0);
  }

  public WorkerInfo {
    if (id.isBlank()) {
      throw new IllegalArgumentException("worker.workerId must not be empty");
    }
    if (address.isBlank()) {
      throw new IllegalArgumentException("worker.address must not be empty");
    }
    if (cpuMillis < 0 || memoryMiB < 0) {
      throw new IllegalArgumentException("worker.capacity must not be negative, was cpuMillis=" + cpuMillis
          + " memoryMiB=" + memoryMiB);
    }
    if (reserveCpuMillis < 0 || reserveMemoryMiB < 0) {
      throw new IllegalArgumentException("worker.emergency_reserve must not be negative, was cpuMillis="
          + reserveCpuMillis + " memoryMiB=" + reserveMemoryMiB);
    }
    if (poolMembers < 0 || poolMemoryMiB < 0) {
      throw new IllegalArgumentException("worker.pool budget must not be negative, was members=" + poolMembers
          + " memoryMiB=" + poolMemoryMiB);
    }
  }
}
