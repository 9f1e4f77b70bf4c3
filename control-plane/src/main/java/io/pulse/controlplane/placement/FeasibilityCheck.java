package io.pulse.controlplane.placement;

/** One link of the placement chain: whether a worker may take a request at all. */
@FunctionalInterface
public interface FeasibilityCheck {

  boolean admits(Candidate worker, ResourceRequest request);

  /** Nothing new goes to a worker being drained. */
  FeasibilityCheck NOT_DRAINING = (worker, request) -> !worker.draining();

  /** The request fits beside Pulse's own instances on the worker. */
  FeasibilityCheck FITS = (worker, request) -> request.cpuMillis() <= worker.cpuMillis() - worker.allocatedCpuMillis()
      && request.memoryMiB() <= worker.memoryMiB() - worker.allocatedMemoryMiB();

  /** The request also fits beside the worker's share of what other workloads reserve on its host. */
  FeasibilityCheck HOST_RESERVATIONS = (worker, request) -> Feasibility.cpuFits(worker.capacity(), request)
      && Feasibility.memoryFits(worker.capacity(), request);
}
