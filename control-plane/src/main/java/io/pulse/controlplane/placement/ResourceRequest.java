package io.pulse.controlplane.placement;

/** CPU and memory one instance reserves. */
public record ResourceRequest(int cpuMillis, int memoryMiB) {

  public ResourceRequest {
    if (cpuMillis < 0) {
      throw new IllegalArgumentException("cpuMillis must be >= 0, was " + cpuMillis);
    }
    if (memoryMiB < 0) {
      throw new IllegalArgumentException("memoryMiB must be >= 0, was " + memoryMiB);
    }
  }
}
