package io.pulse.controlplane.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The index agrees with a brute-force scan after any sequence of updates: its candidates are what a model rebuilt
 * from scratch says (capacity, allocations, host-reservation shares, draining), and every placement picks the worker
 * {@link PlacementChain#scan} picks over them, or gives the same no-capacity reason; a creation of a revision picks
 * the best admitted holder of a ready pool member first, and a decision never counts on one member twice.
 */
class PlacementIndexPropertiesTest {

  enum Kind { PUT, REMOVE, ALLOCATE, RELEASE, RESERVE, POOL, CLAIM, PLACE, TENTATIVE }

  private static final RevisionKey REVISION = new RevisionKey("f", 1);
  private static final RevisionKey OTHER = new RevisionKey("g", 1);

  record Op(Kind kind, int a, int b, int c) {}

  private static final int[][] CAPACITIES = {{1000, 1024}, {1000, 1024}, {2000, 4096}, {0, 512}, {300, 0}};
  private static final int[][] REQUESTS = {{0, 0}, {10, 10}, {100, 128}, {250, 256}, {700, 900}, {1500, 3000}};

  @Provide
  Arbitrary<List<Op>> histories() {
    Arbitrary<Kind> kinds = Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.just(Kind.PUT)),
        Tuple.of(1, Arbitraries.just(Kind.REMOVE)),
        Tuple.of(8, Arbitraries.just(Kind.ALLOCATE)),
        Tuple.of(4, Arbitraries.just(Kind.RELEASE)),
        Tuple.of(1, Arbitraries.just(Kind.RESERVE)),
        Tuple.of(3, Arbitraries.just(Kind.POOL)),
        Tuple.of(1, Arbitraries.just(Kind.CLAIM)),
        Tuple.of(6, Arbitraries.just(Kind.PLACE)),
        Tuple.of(2, Arbitraries.just(Kind.TENTATIVE)));
    Arbitrary<Integer> any = Arbitraries.integers().between(0, 10_000);
    return Combinators.combine(kinds, any, any, any).as(Op::new).list().ofMaxSize(200);
  }

  @Property(tries = 300)
  void index_agreesWithABruteForceScan(@ForAll("histories") List<Op> history, @ForAll long seed) {
    PlacementChain chain = PlacementChain.standard(TieBreak.seeded(seed));
    PlacementIndex index = new PlacementIndex(chain);
    Model model = new Model();

    for (Op op : history) {
      String worker = "w" + op.a() % 8;
      switch (op.kind()) {
        case PUT -> {
          int[] capacity = CAPACITIES[op.b() % CAPACITIES.length];
          String host = "h" + op.c() % 3;
          boolean draining = op.c() % 4 == 0;
          index.putWorker(worker, host, capacity[0], capacity[1], draining);
          model.live.put(worker, new Model.Live(host, capacity[0], capacity[1], draining));
        }
        case REMOVE -> {
          index.removeWorker(worker);
          model.live.remove(worker);
          model.pools.remove(worker);
        }
        case POOL -> {
          index.pools(worker, Map.of(REVISION, op.b() % 4, OTHER, op.c() % 3));
          if (model.live.containsKey(worker)) {
            model.pools.put(worker, op.b() % 4);
          }
        }
        case CLAIM -> {
          index.claim(worker, REVISION);
          model.pools.computeIfPresent(worker, (id, n) -> Math.max(0, n - 1));
        }
        case ALLOCATE -> {
          int[] request = REQUESTS[op.b() % REQUESTS.length];
          index.allocate(worker, request[0], request[1]);
          model.instances.computeIfAbsent(worker, w -> new ArrayList<>()).add(request);
        }
        case RELEASE -> {
          List<int[]> held = model.instances.getOrDefault(worker, List.of());
          if (!held.isEmpty()) {
            int[] gone = held.remove(op.b() % held.size());
            index.allocate(worker, -gone[0], -gone[1]);
          }
        }
        case RESERVE -> {
          Map<String, HostReservations.Reserved> hosts = new HashMap<>();
          for (int h = 0; h < 3; h++) {
            int amount = (op.b() >> h) % 5;
            if (amount > 0) {
              hosts.put("h" + h, new HostReservations.Reserved(amount * 97, amount * 131));
            }
          }
          HostReservations reservations = new HostReservations(hosts);
          index.reservations(reservations);
          model.reservations = reservations;
        }
        case PLACE -> {
          int[] request = REQUESTS[op.b() % REQUESTS.length];
          ResourceRequest asked = new ResourceRequest(request[0], request[1]);
          assertThat(index.place(asked)).as("placing %s after %s", asked, history)
              .isEqualTo(chain.scan(model.candidates(), asked));
          assertThat(index.view().tentative().place(asked, REVISION)).as("placing %s of %s after %s", asked, REVISION,
              history).isEqualTo(chain.scan(model.candidates(), asked, model::pool));
        }
        case TENTATIVE -> tentative(index, chain, model, op, history);
      }
      assertThat(sorted(index.candidates())).isEqualTo(sorted(model.candidates()));
    }
  }

  /**
   * A decision's run of placements through a tentative overlay: each agrees with a scan over the model plus what the
   * run added so far (some adds go to a worker the run did not pick, even a draining or dead one); the index is left
   * as it was.
   */
  private static void tentative(PlacementIndex index, PlacementChain chain, Model model, Op op, List<Op> history) {
    TentativePlacement tentative = index.view().tentative();
    Map<String, int[]> added = new HashMap<>();
    Map<String, Integer> claimed = new HashMap<>();
    boolean ofRevision = op.a() % 2 == 0;
    int steps = op.b() % 25;
    for (int i = 0; i < steps; i++) {
      int[] request = REQUESTS[(op.c() + i * (op.a() % 3 == 0 ? 0 : 1)) % REQUESTS.length];
      ResourceRequest asked = new ResourceRequest(request[0], request[1]);
      PlacementResult expected = ofRevision
          ? chain.scan(model.candidates(added), asked, id -> model.pool(id) - claimed.getOrDefault(id, 0))
          : chain.scan(model.candidates(added), asked);
      assertThat(ofRevision ? tentative.place(asked, REVISION) : tentative.place(asked))
          .as("tentative step %s placing %s after %s", i, asked, history).isEqualTo(expected);
      String to = expected instanceof PlacementResult.Placed placed && (op.c() + i) % 7 != 0 ? placed.workerId()
          : "w" + (op.c() + i) % 9;
      if (ofRevision) {
        tentative.add(to, asked, REVISION);
        if (model.pool(to) - claimed.getOrDefault(to, 0) > 0) {
          claimed.merge(to, 1, Integer::sum);
        }
      } else {
        tentative.add(to, asked);
      }
      added.merge(to, request.clone(), (x, y) -> new int[] {x[0] + y[0], x[1] + y[1]});
      assertThat(sorted(tentative.candidates())).isEqualTo(sorted(model.candidates(added)));
    }
  }

  private static List<Candidate> sorted(List<Candidate> candidates) {
    return candidates.stream().sorted(Comparator.comparing(Candidate::workerId)).toList();
  }

  /** What the index should hold, recomputed from scratch as the lifecycle once did for every placement. */
  private static final class Model {
    record Live(String host, int cpuMillis, int memoryMiB, boolean draining) {}

    final Map<String, Live> live = new LinkedHashMap<>();
    final Map<String, List<int[]>> instances = new HashMap<>();
    /** Ready members of REVISION per live worker. */
    final Map<String, Integer> pools = new HashMap<>();
    HostReservations reservations = HostReservations.NONE;

    int pool(String workerId) {
      return pools.getOrDefault(workerId, 0);
    }

    List<Candidate> candidates() {
      return candidates(Map.of());
    }

    /** With {@code added} {cpu, memory} more on some workers. */
    List<Candidate> candidates(Map<String, int[]> added) {
      List<Candidate> result = new ArrayList<>();
      live.forEach((id, w) -> {
        int[] more = added.getOrDefault(id, new int[2]);
        int cpu = more[0] + instances.getOrDefault(id, List.of()).stream().mapToInt(r -> r[0]).sum();
        int memory = more[1] + instances.getOrDefault(id, List.of()).stream().mapToInt(r -> r[1]).sum();
        int onHost = (int) live.values().stream().filter(o -> o.host().equals(w.host())).count();
        HostReservations.Reserved share = reservations.shareOf(w.host(), onHost);
        result.add(new Candidate(id, w.cpuMillis(), w.memoryMiB(), cpu, memory, share.cpuMillis(),
            share.memoryMiB(), w.draining()));
      });
      return result;
    }
  }
}
