package io.pulse.controlplane.placement;

import io.pulse.controlplane.placement.PlacementIndex.CapacityClass;
import io.pulse.controlplane.placement.PlacementIndex.Entry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A {@link PlacementView} plus the allocations one decision has made so far: what the decision placed counts against
 * its worker for the next placement, and nothing reaches the index (the coordinator applies the decision, and the
 * index follows its instance table). Owned by one decision, never shared.
 *
 * <p>The overlay is small (the workers this decision placed on), so placing stays O(classes x log workers): per
 * capacity class the best worker is the better of the index's best untouched worker and the overlay's best touched
 * one, each kept sorted in the ranker's order. The touched workers are usually the front of their class (they were
 * the least allocated); where they are, the walk starts after them, so a burst of placements does not re-walk them.
 */
public final class TentativePlacement {

  private final PlacementView view;
  /** Per worker this decision placed on: what it added, {cpuMillis, memoryMiB}. */
  private final Map<String, int[]> added = new HashMap<>();
  /** Per touched live worker, its entry with what was added. */
  private final Map<String, Entry> touched = new HashMap<>();
  /** Touched schedulable workers per class, in the ranker's order. */
  private final Map<CapacityClass, TreeSet<Entry>> touchedByClass = new HashMap<>();
  /** Per class, the last index entry of the class's front run of touched workers: walks start after it. */
  private final Map<CapacityClass, Entry> frontTouched = new HashMap<>();

  TentativePlacement(PlacementView view) {
    this.view = view;
  }

  /** Where one instance of {@code request} goes, given what this decision already placed. */
  public PlacementResult place(ResourceRequest request) {
    PlacementIndex index = view.index();
    if (index.schedulableCount() == 0) {
      return PlacementChain.NO_LIVE_WORKER;
    }
    PlacementChain chain = index.chain();
    Comparator<Candidate> order = chain.order(request);
    Candidate best = null;
    for (Map.Entry<CapacityClass, TreeSet<Entry>> members : index.schedulable().entrySet()) {
      for (Candidate c : new Candidate[] {bestUntouched(members.getKey(), members.getValue(), chain, request),
          bestTouched(members.getKey(), chain, request)}) {
        if (c != null && (best == null || order.compare(c, best) < 0)) {
          best = c;
        }
      }
    }
    if (best != null) {
      return new PlacementResult.Placed(best.workerId());
    }
    return PlacementChain.noFit(candidates().stream().filter(c -> !c.draining()).toList(), request);
  }

  /** Counts one instance of {@code request} against {@code workerId} for the rest of this decision. */
  public void add(String workerId, ResourceRequest request) {
    PlacementIndex index = view.index();
    int[] sums = added.computeIfAbsent(workerId, id -> new int[2]);
    sums[0] += request.cpuMillis();
    sums[1] += request.memoryMiB();
    Entry base = index.entry(workerId);
    if (base == null) {
      return; // not live: never placed on, nothing to rank
    }
    Entry previous = touched.put(workerId, base.plus(sums[0], sums[1]));
    if (base.candidate().draining()) {
      return;
    }
    TreeSet<Entry> inClass = touchedByClass.computeIfAbsent(CapacityClass.of(base.candidate()),
        k -> new TreeSet<>(PlacementIndex.IN_CLASS));
    if (previous != null) {
      inClass.remove(previous);
    }
    inClass.add(touched.get(workerId));
  }

  /** Places one instance and counts it: {@link #place}, then {@link #add} when placed. */
  public PlacementResult take(ResourceRequest request) {
    PlacementResult result = place(request);
    if (result instanceof PlacementResult.Placed placed) {
      add(placed.workerId(), request);
    }
    return result;
  }

  /** Every live worker as the chain sees it with this decision's allocations; O(workers). */
  public List<Candidate> candidates() {
    List<Candidate> result = new ArrayList<>();
    for (Entry entry : view.index().entries()) {
      Entry mine = touched.get(entry.candidate().workerId());
      result.add((mine != null ? mine : entry).candidate());
    }
    return result;
  }

  /** The class's first worker the chain admits among those this decision has not touched. */
  private @Nullable Candidate bestUntouched(CapacityClass key, TreeSet<Entry> members, PlacementChain chain,
      ResourceRequest request) {
    Entry front = frontTouched.get(key);
    NavigableSet<Entry> walk = front == null ? members : members.tailSet(front, false);
    boolean inFront = true;
    for (Entry entry : walk) {
      if (touched.containsKey(entry.candidate().workerId())) {
        if (inFront) {
          frontTouched.put(key, entry);
        }
        continue;
      }
      inFront = false;
      if (chain.admits(entry.candidate(), request)) {
        return entry.candidate();
      }
    }
    return null;
  }

  private @Nullable Candidate bestTouched(CapacityClass key, PlacementChain chain, ResourceRequest request) {
    TreeSet<Entry> mine = touchedByClass.get(key);
    if (mine != null) {
      for (Entry entry : mine) {
        if (chain.admits(entry.candidate(), request)) {
          return entry.candidate();
        }
      }
    }
    return null;
  }
}
