package io.pulse.controlplane.placement;

import java.util.List;

/** The placement chain over a list of live, schedulable workers (reservations already counted as allocated). */
public final class Placer {

  private static final PlacementChain CHAIN = PlacementChain.standard(TieBreak.BY_ID);

  private Placer() {}

  public static PlacementResult place(List<WorkerCapacity> workers, ResourceRequest request) {
    return CHAIN.scan(workers.stream().map(w -> new Candidate(w.workerId(), w.cpuMillis(), w.memoryMiB(),
        w.allocatedCpuMillis(), w.allocatedMemoryMiB(), 0, 0, false)).toList(), request);
  }
}
