package io.pulse.dataplane.routing;

/**
 * What Regular Instances reserve on one worker, and how many of them are being created there, as the control plane
 * last published it.
 */
public record WorkerLoad(String workerId, int cpuMillis, int memoryMiB, int creating) {

  /** Nothing reserved, nothing being created: a partial update's way of saying the worker holds nothing now. */
  boolean nothing() {
    return cpuMillis == 0 && memoryMiB == 0 && creating == 0;
  }
}
