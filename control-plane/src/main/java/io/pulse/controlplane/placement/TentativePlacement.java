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
 *
 * <p>A creation of a revision ({@link #place(ResourceRequest, RevisionKey)}) goes to a worker holding a ready pool
 * member of it when one admits it; the overlay counts each member a placement claims, so two creations of one
 * decision never count on the same member. Holders are indexed per revision like the classes, so this too walks only
 * the front of each class.
 */
public final class TentativePlacement {

  private final PlacementView view;
  /** Per worker this decision placed on: what it added, {cpuMillis, memoryMiB}. */
  private final Map<String, int[]> added = new HashMap<>();
  /** Per touched live worker, its entry with what was added. */
  private final Map<String, Entry> touched = new HashMap<>();
  /** Touched schedulable workers per class, in the ranker's order. */
  private final Map<CapacityClass, NavigableSet<Entry>> touchedByClass = new HashMap<>();
  /** Per class, the last index entry of the class's front run of touched workers: walks start after it. */
  private final Map<CapacityClass, Entry> frontTouched = new HashMap<>();
  /** Per worker, the pool members this decision's placements claimed there, by revision. */
  private final Map<String, Map<RevisionKey, Integer>> claimed = new HashMap<>();

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

  /**
   * Where one instance of {@code request} of {@code revision} goes: the best admitted worker that holds a ready
   * member of it this decision has not claimed, else where {@link #place(ResourceRequest)} puts it.
   */
  public PlacementResult place(ResourceRequest request, RevisionKey revision) {
    Candidate holder = bestHolder(request, revision);
    return holder != null ? new PlacementResult.Placed(holder.workerId()) : place(request);
  }

  /** As {@link #add(String, ResourceRequest)}; the creation also claims a member of the revision if one is left. */
  public void add(String workerId, ResourceRequest request, RevisionKey revision) {
    if (poolLeft(workerId, revision) > 0) {
      claimed.computeIfAbsent(workerId, id -> new HashMap<>()).merge(revision, 1, Integer::sum);
    }
    add(workerId, request);
  }

  /** Places one instance of the revision and counts it, with the pool member it claims. */
  public PlacementResult take(ResourceRequest request, RevisionKey revision) {
    PlacementResult result = place(request, revision);
    if (result instanceof PlacementResult.Placed placed) {
      add(placed.workerId(), request, revision);
    }
    return result;
  }

  /** Ready members of {@code revision} on the worker that this decision has not claimed. */
  public int poolLeft(String workerId, RevisionKey revision) {
    int mine = claimed.getOrDefault(workerId, Map.of()).getOrDefault(revision, 0);
    return view.index().poolReady(workerId, revision) - mine;
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
    NavigableSet<Entry> inClass = touchedByClass.computeIfAbsent(CapacityClass.of(base.candidate()),
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

  /** The best admitted worker with an unclaimed ready member of {@code revision}, or null. */
  private @Nullable Candidate bestHolder(ResourceRequest request, RevisionKey revision) {
    PlacementIndex index = view.index();
    Map<CapacityClass, TreeSet<Entry>> holders = index.holders(revision);
    if (holders.isEmpty()) {
      return null;
    }
    PlacementChain chain = index.chain();
    Comparator<Candidate> order = chain.order(request);
    Candidate best = null;
    for (Map.Entry<CapacityClass, TreeSet<Entry>> members : holders.entrySet()) {
      // Untouched holders have every reported member left; touched ones are ranked with what this decision added.
      Candidate untouched = null;
      for (Entry entry : members.getValue()) {
        if (!touched.containsKey(entry.candidate().workerId()) && chain.admits(entry.candidate(), request)) {
          untouched = entry.candidate();
          break;
        }
      }
      Candidate mine = null;
      for (Entry entry : touchedByClass.getOrDefault(members.getKey(), NO_ENTRIES)) {
        Candidate c = entry.candidate();
        if (poolLeft(c.workerId(), revision) > 0 && chain.admits(c, request)) {
          mine = c;
          break;
        }
      }
      for (Candidate c : new Candidate[] {untouched, mine}) {
        if (c != null && (best == null || order.compare(c, best) < 0)) {
          best = c;
        }
      }
    }
    return best;
  }

  private static final NavigableSet<Entry> NO_ENTRIES = java.util.Collections.emptyNavigableSet();

  private @Nullable Candidate bestTouched(CapacityClass key, PlacementChain chain, ResourceRequest request) {
    NavigableSet<Entry> mine = touchedByClass.get(key);
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
