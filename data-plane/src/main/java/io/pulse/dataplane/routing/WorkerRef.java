package io.pulse.dataplane.routing;

/**
 * A live worker as the control plane last described it (kept for the expedited track).
 *
 * @param cpuMillis CPU the control plane may place Regular Instances on (0: unknown)
 * @param memoryMiB memory the control plane may place Regular Instances on (0: unknown)
 * @param reserveCpuMillis CPU the worker keeps back for Emergency Instances only
 * @param reserveMemoryMiB memory the worker keeps back for Emergency Instances only
 */
public record WorkerRef(String id, String address, int cpuMillis, int memoryMiB, int reserveCpuMillis,
    int reserveMemoryMiB) {

  public WorkerRef(String id, String address) {
    this(id, address, 0, 0, 0, 0);
  }
}
