package io.pulse.controlplane.placement;

import java.util.List;
import java.util.Optional;

/** Feasibility then ranking, over a snapshot of live workers. */
public final class Placer {

  private Placer() {}

  public static PlacementResult place(List<WorkerCapacity> workers, ResourceRequest request) {
    if (workers.isEmpty()) {
      return new PlacementResult.NoCapacity("no live worker");
    }
    Optional<WorkerCapacity> best = workers.stream()
        .filter(w -> Feasibility.cpuFits(w, request) && Feasibility.memoryFits(w, request))
        .min(LeastAllocatedRanker.order(request));
    if (best.isPresent()) {
      return new PlacementResult.Placed(best.get().workerId());
    }
    return new PlacementResult.NoCapacity(NoFitReason.of(workers, request));
  }
}
