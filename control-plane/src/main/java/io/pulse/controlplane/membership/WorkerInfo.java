package io.pulse.controlplane.membership;

/**
 * A worker daemon as it describes itself.
 *
 * @param address {@code host:port} of its WorkerService
 * @param runtime {@code process}, {@code containerd} or {@code fake}
 */
public record WorkerInfo(String id, String address, String hostname, String runtime, int cpuMillis, int memoryMiB) {

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
  }
}
