package io.pulse.controlplane.placement;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Placement as a chain, after nomad's {@code feasible} and {@code rank} stacks: feasibility checks filter the workers
 * (all must admit), the least-allocated ranker orders the rest, and a seeded tie-break settles equals. A creation of a
 * revision that some admitted worker holds a ready pool member of ranks those holders first (a pool hit starts a
 * created sandbox instead of creating one); the others rank as without pools. {@link #scan} evaluates it by looking
 * at every worker: the reference that {@link PlacementIndex} must agree with.
 */
public record PlacementChain(List<FeasibilityCheck> checks, TieBreak tieBreak) {

  public PlacementChain {
    checks = List.copyOf(checks);
  }

  /** Fit, not draining, host reservations; equal workers in the seed's order. */
  public static PlacementChain standard(TieBreak tieBreak) {
    return new PlacementChain(List.of(FeasibilityCheck.NOT_DRAINING, FeasibilityCheck.FITS,
        FeasibilityCheck.HOST_RESERVATIONS), tieBreak);
  }

  public boolean admits(Candidate worker, ResourceRequest request) {
    for (FeasibilityCheck check : checks) {
      if (!check.admits(worker, request)) {
        return false;
      }
    }
    return true;
  }

  /** Ranker, then tie-break key, then id: a total order, so every evaluation picks the same worker. */
  public Comparator<Candidate> order(ResourceRequest request) {
    return (a, b) -> {
      int ranked = LeastAllocatedRanker.compare(a.capacity(), b.capacity(), request);
      if (ranked != 0) {
        return ranked;
      }
      int tie = Long.compare(tieBreak.key(a.workerId()), tieBreak.key(b.workerId()));
      return tie != 0 ? tie : a.workerId().compareTo(b.workerId());
    };
  }

  /** Every worker checked and ranked; O(workers). */
  public PlacementResult scan(Collection<Candidate> workers, ResourceRequest request) {
    List<Candidate> schedulable = workers.stream().filter(w -> !w.draining()).toList();
    if (schedulable.isEmpty()) {
      return NO_LIVE_WORKER;
    }
    return workers.stream().filter(w -> admits(w, request)).min(order(request))
        .<PlacementResult>map(w -> new PlacementResult.Placed(w.workerId()))
        .orElseGet(() -> noFit(schedulable, request));
  }

  /**
   * Every worker checked and ranked, holders of a ready pool member first; O(workers).
   *
   * @param poolReady per worker id, the ready members of the creation's revision it holds (and this decision has not
   *     claimed yet)
   */
  public PlacementResult scan(Collection<Candidate> workers, ResourceRequest request,
      ToIntFunction<String> poolReady) {
    return workers.stream().filter(w -> poolReady.applyAsInt(w.workerId()) > 0 && admits(w, request))
        .min(order(request)).<PlacementResult>map(w -> new PlacementResult.Placed(w.workerId()))
        .orElseGet(() -> scan(workers, request));
  }

  static final PlacementResult NO_LIVE_WORKER = new PlacementResult.NoCapacity("no live worker");

  static PlacementResult noFit(Collection<Candidate> schedulable, ResourceRequest request) {
    return new PlacementResult.NoCapacity(NoFitReason.of(schedulable.stream().map(Candidate::capacity).toList(),
        request));
  }
}
