package io.pulse.controlplane.instances;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.controlplane.placement.Candidate;
import io.pulse.controlplane.placement.HostReservations;
import io.pulse.controlplane.placement.PlacementChain;
import io.pulse.controlplane.placement.PlacementIndex;
import io.pulse.controlplane.placement.PlacementResult;
import io.pulse.controlplane.placement.PlacementView;
import io.pulse.controlplane.placement.ResourceRequest;
import io.pulse.controlplane.placement.RevisionKey;
import io.pulse.controlplane.placement.TieBreak;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The planner with placement: a function's creations are placed one after the other against a tentative view of the
 * index, so a multi-create step never takes a worker over what it offers, never picks a draining worker (pool member
 * or not), depends on nothing but the snapshot and the seed, agrees with placing one instance at a time by a
 * brute-force scan (pool holders first, each member claimed once), and leaves the index as it was.
 */
class LifecyclePlannerPropertiesTest {

  private static final int[][] CAPACITIES = {{1000, 1024}, {1000, 1024}, {2000, 4096}, {500, 2048}, {0, 512}};
  private static final int[][] REQUESTS = {{0, 0}, {50, 64}, {100, 128}, {250, 256}, {700, 900}};

  /** The revision the steps create; workers also hold members of another one, which must not attract them. */
  private static final RevisionKey REVISION = new RevisionKey("f", 1);
  private static final RevisionKey OTHER = new RevisionKey("f", 2);

  /** One worker of a cluster: capacity, host, draining, the instances it already holds, its ready pool members. */
  record Worker(int capacity, int host, boolean draining, List<Integer> holds, int pool) {}

  record Cluster(List<Worker> workers, Map<Integer, Integer> reservedByHost) {}

  @Provide
  Arbitrary<Cluster> clusters() {
    Arbitrary<Worker> worker = Combinators.combine(Arbitraries.integers().between(0, CAPACITIES.length - 1),
        Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 4).map(d -> d == 0),
        Arbitraries.integers().between(1, REQUESTS.length - 1).list().ofMaxSize(6),
        Arbitraries.integers().between(-2, 3).map(n -> Math.max(0, n))).as(Worker::new);
    Arbitrary<Map<Integer, Integer>> reserved = Arbitraries.maps(Arbitraries.integers().between(0, 4),
        Arbitraries.integers().between(1, 6)).ofMaxSize(3);
    return Combinators.combine(worker.list().ofMinSize(1).ofMaxSize(30), reserved).as(Cluster::new);
  }

  private static PlacementIndex index(Cluster cluster, long seed, boolean reversed) {
    PlacementIndex index = new PlacementIndex(PlacementChain.standard(TieBreak.seeded(seed)));
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < cluster.workers().size(); i++) {
      order.add(i);
    }
    if (reversed) {
      order = order.reversed();
    }
    Map<String, HostReservations.Reserved> hosts = new HashMap<>();
    cluster.reservedByHost().forEach((host, units) ->
        hosts.put("h" + host, new HostReservations.Reserved(units * 97, units * 131)));
    if (reversed) {
      index.reservations(new HostReservations(hosts)); // before the workers this time
    }
    for (int i : order) {
      Worker w = cluster.workers().get(i);
      int[] capacity = CAPACITIES[w.capacity()];
      for (int held : w.holds()) {
        index.allocate("w" + i, REQUESTS[held][0], REQUESTS[held][1]);
      }
      index.putWorker("w" + i, "h" + w.host(), capacity[0], capacity[1], w.draining());
      index.pools("w" + i, Map.of(REVISION, w.pool(), OTHER, 2));
    }
    if (!reversed) {
      index.reservations(new HostReservations(hosts));
    }
    return index;
  }

  private static LifecyclePlanner.FunctionStep plan(PlacementView view, int desired, ResourceRequest request) {
    return LifecyclePlanner.function(REVISION, desired, List.of(), w -> false, Long.MIN_VALUE, 0, view,
        request);
  }

  private static ResourceRequest request(int which) {
    return new ResourceRequest(REQUESTS[which][0], REQUESTS[which][1]);
  }

  @Property(tries = 300)
  void multiCreateStep_neverTakesAWorkerOverCapacity_norPicksADrainingOne(@ForAll("clusters") Cluster cluster,
      @ForAll @IntRange(min = 0, max = 4) int which, @ForAll @IntRange(min = 1, max = 60) int desired,
      @ForAll long seed) {
    PlacementIndex index = index(cluster, seed, false);
    ResourceRequest request = request(which);
    Map<String, Candidate> before = byId(index.view().candidates());

    LifecyclePlanner.FunctionStep step = plan(index.view(), desired, request);

    Map<String, Long> placed = step.createOn().stream().collect(Collectors.groupingBy(w -> w, Collectors.counting()));
    placed.forEach((workerId, count) -> {
      Candidate c = before.get(workerId);
      assertThat(c.draining()).as("%s is draining", workerId).isFalse();
      assertThat(c.allocatedCpuMillis() + c.reservedCpuMillis() + count * request.cpuMillis())
          .as("CPU on %s", workerId).isLessThanOrEqualTo(c.cpuMillis());
      assertThat(c.allocatedMemoryMiB() + c.reservedMemoryMiB() + count * request.memoryMiB())
          .as("memory on %s", workerId).isLessThanOrEqualTo(c.memoryMiB());
    });
    if (step.noCapacity() == null) {
      assertThat(step.createOn()).as("every instance wanted is placed").hasSize(desired);
    } else {
      assertThat(step.createOn().size()).as("placed short, and says why").isLessThan(desired);
    }
  }

  @Property(tries = 300)
  void multiCreateStep_agreesWithPlacingOneAtATimeByABruteForceScan_poolHoldersFirst_eachMemberClaimedOnce(
      @ForAll("clusters") Cluster cluster,
      @ForAll @IntRange(min = 0, max = 4) int which, @ForAll @IntRange(min = 1, max = 40) int desired,
      @ForAll long seed) {
    PlacementIndex index = index(cluster, seed, false);
    PlacementChain chain = PlacementChain.standard(TieBreak.seeded(seed));
    ResourceRequest request = request(which);
    Map<String, Candidate> model = byId(index.view().candidates());
    Map<String, Integer> members = new HashMap<>();
    for (int i = 0; i < cluster.workers().size(); i++) {
      members.put("w" + i, cluster.workers().get(i).pool());
    }

    LifecyclePlanner.FunctionStep step = plan(index.view(), desired, request);

    List<String> expected = new ArrayList<>();
    String reason = null;
    for (int i = 0; i < desired; i++) {
      PlacementResult result = chain.scan(List.copyOf(model.values()), request, id -> members.getOrDefault(id, 0));
      if (result instanceof PlacementResult.NoCapacity none) {
        reason = none.reason();
        break;
      }
      String workerId = ((PlacementResult.Placed) result).workerId();
      expected.add(workerId);
      members.computeIfPresent(workerId, (id, n) -> Math.max(0, n - 1)); // its creation claims a member if one is left
      Candidate c = model.get(workerId);
      model.put(workerId, new Candidate(workerId, c.cpuMillis(), c.memoryMiB(),
          c.allocatedCpuMillis() + request.cpuMillis(), c.allocatedMemoryMiB() + request.memoryMiB(),
          c.reservedCpuMillis(), c.reservedMemoryMiB(), c.draining()));
    }
    assertThat(step.createOn()).isEqualTo(expected);
    assertThat(step.noCapacity()).isEqualTo(reason);
  }

  @Property(tries = 200)
  void sameSeedAndSnapshot_samePlacements_whateverOrderTheIndexLearnedThemIn(@ForAll("clusters") Cluster cluster,
      @ForAll @IntRange(min = 0, max = 4) int which, @ForAll @IntRange(min = 1, max = 40) int desired,
      @ForAll long seed) {
    ResourceRequest request = request(which);

    LifecyclePlanner.FunctionStep first = plan(index(cluster, seed, false).view(), desired, request);
    LifecyclePlanner.FunctionStep again = plan(index(cluster, seed, true).view(), desired, request);

    assertThat(again).isEqualTo(first);
  }

  @Property(tries = 200)
  void planning_neverChangesTheIndex(@ForAll("clusters") Cluster cluster,
      @ForAll @IntRange(min = 0, max = 4) int which, @ForAll @IntRange(min = 1, max = 40) int desired,
      @ForAll long seed) {
    PlacementIndex index = index(cluster, seed, false);
    ResourceRequest request = request(which);
    PlacementView view = index.view();
    List<Candidate> before = sorted(view.candidates());
    PlacementResult nextBefore = view.place(request);

    plan(view, desired, request);
    plan(view, desired, request);

    // The view taken before still answers: the index did not change (a change would make it throw).
    assertThat(sorted(view.candidates())).isEqualTo(before);
    assertThat(index.place(request)).isEqualTo(nextBefore);
    assertThat(plan(view, desired, request)).isEqualTo(plan(index.view(), desired, request));
  }

  private static Map<String, Candidate> byId(List<Candidate> candidates) {
    Map<String, Candidate> result = new LinkedHashMap<>();
    sorted(candidates).forEach(c -> result.put(c.workerId(), c));
    return result;
  }

  private static List<Candidate> sorted(List<Candidate> candidates) {
    return candidates.stream().sorted(Comparator.comparing(Candidate::workerId)).toList();
  }
}
