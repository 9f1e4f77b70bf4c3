package io.pulse.controlplane.placement;

import java.util.ArrayList;
import java.util.List;

/**
 * The placement index as a decider sees it: read-only, taken in O(1) (no copy of the workers), and valid only while
 * the index stays as it was when the view was taken: used after a change, it throws instead of answering from a
 * moving target. A decider places several instances through a {@link #tentative()} overlay, which counts each
 * placement against its worker for the next ones without touching the index.
 */
public final class PlacementView {

  private final PlacementIndex index;
  private final long version;

  PlacementView(PlacementIndex index, long version) {
    this.index = index;
    this.version = version;
  }

  /** A fresh overlay of tentative allocations over this view, for one decision. */
  public TentativePlacement tentative() {
    return new TentativePlacement(this);
  }

  /** Where one instance of {@code request} would go now. */
  public PlacementResult place(ResourceRequest request) {
    return tentative().place(request);
  }

  /** Every live worker as the chain sees it; O(workers), for tests and reasons. */
  public List<Candidate> candidates() {
    List<Candidate> result = new ArrayList<>();
    index().entries().forEach(e -> result.add(e.candidate()));
    return result;
  }

  /** The index, checked to be still the one this view was taken of. */
  PlacementIndex index() {
    if (index.version() != version) {
      throw new IllegalStateException("placement view used after the index changed (taken at version " + version
          + ", now " + index.version() + ")");
    }
    return index;
  }
}
