package io.pulse.controlplane.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The placement chain evaluated without looking at every worker. Live workers are kept sorted per capacity class
 * (same CPU and memory offered) by how allocated they are, which among equal capacities is the ranker's order for any
 * request ({@link LeastAllocatedRanker}); a placement walks each class from its least allocated worker to the first
 * the checks admit, and takes the best of the classes. Updates (a worker joins, dies or drains; an instance comes or
 * goes; host reservations change) re-sort only the workers they touch. So a placement costs O(classes x log workers)
 * while workers fit; when none fits, the walk visits every worker once and the reason names the closest.
 *
 * <p>Mutable and not thread-safe: one context owns it. {@link #place} agrees with {@link PlacementChain#scan} over
 * {@link #candidates()} after any sequence of updates (PlacementIndexPropertiesTest). Deciders do not get the index
 * itself but a {@link #view()}: read-only, O(1) to take, valid until the index next changes.
 */
public final class PlacementIndex {

  /** What a worker offers; workers of one class sort by allocation alone. */
  record CapacityClass(int cpuMillis, int memoryMiB) {

    static CapacityClass of(Candidate c) {
      return new CapacityClass(c.cpuMillis(), c.memoryMiB());
    }
  }

  /** One live worker; replaced (never mutated) so that sorted sets stay consistent. */
  record Entry(Candidate candidate, String hostname, long rank, long tieKey) {

    /** The same worker holding {@code cpuMillis}/{@code memoryMiB} more: ranked again, same tie key. */
    Entry plus(int cpuMillis, int memoryMiB) {
      Candidate c = candidate;
      Candidate more = new Candidate(c.workerId(), c.cpuMillis(), c.memoryMiB(), c.allocatedCpuMillis() + cpuMillis,
          c.allocatedMemoryMiB() + memoryMiB, c.reservedCpuMillis(), c.reservedMemoryMiB(), c.draining());
      return new Entry(more, hostname, LeastAllocatedRanker.key(more.capacity()), tieKey);
    }
  }

  private final PlacementChain chain;
  private final Map<String, Entry> workers = new HashMap<>();
  /** Per worker: {cpuMillis, memoryMiB} its instances hold; kept for workers not (yet, or no longer) live too. */
  private final Map<String, int[]> allocated = new HashMap<>();
  private final Map<String, Set<String>> workersByHost = new HashMap<>();
  private final Map<CapacityClass, TreeSet<Entry>> schedulable = new HashMap<>();
  /** Per live worker: the ready pool members it holds per revision (counts above 0), as last reported. */
  private final Map<String, Map<RevisionKey, Integer>> pools = new HashMap<>();
  /** Per revision: its schedulable holders per capacity class, in the ranker's order (a subset of schedulable). */
  private final Map<RevisionKey, Map<CapacityClass, TreeSet<Entry>>> holders = new HashMap<>();
  private HostReservations reservations = HostReservations.NONE;
  private int schedulableCount;
  /** Bumped by every change: a view taken before a change refuses to answer after it. */
  private long version;

  public PlacementIndex(PlacementChain chain) {
    this.chain = chain;
  }

  /** A worker registered, or changed (capacity, draining); live from now on. */
  public void putWorker(String workerId, String hostname, int cpuMillis, int memoryMiB, boolean draining) {
    Entry previous = workers.get(workerId);
    unlink(previous);
    Set<String> touchedHosts = new LinkedHashSet<>();
    if (previous != null && !previous.hostname().equals(hostname)) {
      leaveHost(previous.hostname(), workerId);
      touchedHosts.add(previous.hostname());
    }
    boolean joined = workersByHost.computeIfAbsent(hostname, h -> new LinkedHashSet<>()).add(workerId);
    link(entry(workerId, hostname, cpuMillis, memoryMiB, draining));
    if (joined) {
      touchedHosts.add(hostname); // one more worker splits the host's reservation
    }
    touchedHosts.forEach(this::refreshHost);
  }

  /** A worker died (or left): no longer a candidate. Its allocations stay counted should it come back. */
  public void removeWorker(String workerId) {
    Entry previous = workers.remove(workerId);
    if (previous == null) {
      return;
    }
    unlink(previous);
    pools.remove(workerId); // a worker that comes back reports its pools again
    leaveHost(previous.hostname(), workerId);
    refreshHost(previous.hostname());
  }

  /**
   * The ready pool members a live worker holds now, per revision (its heartbeat's report; counts of 0 or less mean
   * none), replacing what it held before. A worker that is not live is ignored: it reports again once it is.
   */
  public void pools(String workerId, Map<RevisionKey, Integer> ready) {
    Entry entry = workers.get(workerId);
    if (entry == null) {
      return;
    }
    Map<RevisionKey, Integer> next = new HashMap<>();
    ready.forEach((revision, count) -> {
      if (count > 0) {
        next.put(revision, count);
      }
    });
    if (next.equals(pools.getOrDefault(workerId, Map.of()))) {
      return; // the usual heartbeat: nothing changed, views stay valid
    }
    unlink(entry);
    if (next.isEmpty()) {
      pools.remove(workerId);
    } else {
      pools.put(workerId, next);
    }
    link(entry);
  }

  /**
   * A creation of {@code revision} went to the worker, which claims one of its ready members if it holds one: counted
   * until the worker's next report says what it holds (a report sent before the claim may count it once more; the
   * worst that does is a pool miss, which creates as without a pool).
   */
  public void claim(String workerId, RevisionKey revision) {
    int held = poolReady(workerId, revision);
    if (held > 0) {
      Map<RevisionKey, Integer> next = new HashMap<>(pools.get(workerId));
      next.put(revision, held - 1);
      pools(workerId, next);
    }
  }

  /** An instance of {@code cpuMillis}/{@code memoryMiB} appeared on a worker (negative amounts: it went). */
  public void allocate(String workerId, int cpuMillis, int memoryMiB) {
    version++; // also for a worker not live: its sums show once it is
    int[] sums = allocated.computeIfAbsent(workerId, id -> new int[2]);
    sums[0] += cpuMillis;
    sums[1] += memoryMiB;
    if (sums[0] == 0 && sums[1] == 0) {
      allocated.remove(workerId);
    }
    refresh(workerId);
  }

  /** What other workloads reserve per host from now on. */
  public void reservations(HostReservations next) {
    version++;
    HostReservations previous = reservations;
    reservations = next;
    Set<String> hosts = new LinkedHashSet<>(previous.byHost().keySet());
    hosts.addAll(next.byHost().keySet());
    for (String host : hosts) {
      if (!Objects.equals(previous.byHost().get(host), next.byHost().get(host))) {
        refreshHost(host);
      }
    }
  }

  public PlacementResult place(ResourceRequest request) {
    return view().tentative().place(request);
  }

  /** The index as it is now, read-only, for a decider: O(1); it refuses to answer once the index has changed. */
  public PlacementView view() {
    return new PlacementView(this, version);
  }

  /** Every live worker as the chain sees it now. */
  public List<Candidate> candidates() {
    List<Candidate> result = new ArrayList<>(workers.size());
    workers.values().forEach(e -> result.add(e.candidate()));
    return result;
  }

  PlacementChain chain() {
    return chain;
  }

  long version() {
    return version;
  }

  int schedulableCount() {
    return schedulableCount;
  }

  /** Per capacity class, its schedulable (live, not draining) workers, least allocated first. */
  Map<CapacityClass, TreeSet<Entry>> schedulable() {
    return schedulable;
  }

  /** Per capacity class, the schedulable workers holding ready members of {@code revision}, least allocated first. */
  Map<CapacityClass, TreeSet<Entry>> holders(RevisionKey revision) {
    return holders.getOrDefault(revision, Map.of());
  }

  /** Ready members of {@code revision} the live worker holds, as last reported. */
  int poolReady(String workerId, RevisionKey revision) {
    return pools.getOrDefault(workerId, Map.of()).getOrDefault(revision, 0);
  }

  /** The live worker's entry, or null. */
  @Nullable Entry entry(String workerId) {
    return workers.get(workerId);
  }

  Iterable<Entry> entries() {
    return workers.values();
  }

  private Entry entry(String workerId, String hostname, int cpuMillis, int memoryMiB, boolean draining) {
    int[] sums = allocated.getOrDefault(workerId, NONE);
    Set<String> onHost = workersByHost.getOrDefault(hostname, Set.of());
    HostReservations.Reserved share = reservations.shareOf(hostname, onHost.size());
    Candidate candidate = new Candidate(workerId, cpuMillis, memoryMiB, sums[0], sums[1], share.cpuMillis(),
        share.memoryMiB(), draining);
    return new Entry(candidate, hostname, LeastAllocatedRanker.key(candidate.capacity()),
        chain.tieBreak().key(workerId));
  }

  private static final int[] NONE = new int[2];

  private void refresh(String workerId) {
    Entry previous = workers.get(workerId);
    if (previous == null) {
      return;
    }
    Candidate c = previous.candidate();
    unlink(previous);
    link(entry(workerId, previous.hostname(), c.cpuMillis(), c.memoryMiB(), c.draining()));
  }

  private void refreshHost(String hostname) {
    for (String workerId : List.copyOf(workersByHost.getOrDefault(hostname, Set.of()))) {
      refresh(workerId);
    }
  }

  private void leaveHost(String hostname, String workerId) {
    Set<String> onHost = workersByHost.get(hostname);
    if (onHost != null && onHost.remove(workerId) && onHost.isEmpty()) {
      workersByHost.remove(hostname);
    }
  }

  private void link(Entry entry) {
    version++;
    workers.put(entry.candidate().workerId(), entry);
    if (!entry.candidate().draining()) {
      Candidate c = entry.candidate();
      schedulable.computeIfAbsent(CapacityClass.of(c), k -> new TreeSet<>(IN_CLASS))
          .add(entry);
      schedulableCount++;
      for (RevisionKey revision : pools.getOrDefault(c.workerId(), Map.of()).keySet()) {
        holders.computeIfAbsent(revision, k -> new HashMap<>())
            .computeIfAbsent(CapacityClass.of(c), k -> new TreeSet<>(IN_CLASS)).add(entry);
      }
    }
  }

  private void unlink(@Nullable Entry entry) {
    version++;
    if (entry == null || entry.candidate().draining()) {
      return;
    }
    Candidate c = entry.candidate();
    CapacityClass key = CapacityClass.of(c);
    TreeSet<Entry> members = schedulable.get(key);
    if (members != null && members.remove(entry)) {
      schedulableCount--;
      if (members.isEmpty()) {
        schedulable.remove(key);
      }
    }
    for (RevisionKey revision : pools.getOrDefault(c.workerId(), Map.of()).keySet()) {
      Map<CapacityClass, TreeSet<Entry>> byClass = holders.get(revision);
      TreeSet<Entry> held = byClass == null ? null : byClass.get(key);
      if (held != null && held.remove(entry) && held.isEmpty()) {
        byClass.remove(key);
        if (byClass.isEmpty()) {
          holders.remove(revision);
        }
      }
    }
  }

  /** Least allocated first (unsigned: see LeastAllocatedRanker.key), then the tie-break, then the id. */
  static final Comparator<Entry> IN_CLASS = (a, b) -> {
    int ranked = Long.compareUnsigned(a.rank(), b.rank());
    if (ranked != 0) {
      return ranked;
    }
    int tie = Long.compare(a.tieKey(), b.tieKey());
    return tie != 0 ? tie : a.candidate().workerId().compareTo(b.candidate().workerId());
  };
}
