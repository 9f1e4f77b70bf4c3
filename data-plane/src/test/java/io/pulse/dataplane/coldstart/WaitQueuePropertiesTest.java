package io.pulse.dataplane.coldstart;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.dataplane.coldstart.ColdStartException.Reason;
import io.pulse.dataplane.coldstart.WaitQueue.Admission;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * "Something bad never happens" for the wait queue, over random histories of arrivals, releases, new capacity,
 * cancellations (deadline or client gone) and function removal: no request is lost or served twice, the slot limit
 * holds, waiters are served in arrival order, and no waiter is left parked while a slot is free.
 */
class WaitQueuePropertiesTest {

  enum Kind { ARRIVE, RELEASE, GROW, CANCEL, REMOVE }

  record Op(Kind kind, int arg) {}

  @Provide
  Arbitrary<List<Op>> histories() {
    Arbitrary<Kind> kinds = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(10, Arbitraries.just(Kind.ARRIVE)),
        net.jqwik.api.Tuple.of(6, Arbitraries.just(Kind.RELEASE)),
        net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.GROW)),
        net.jqwik.api.Tuple.of(3, Arbitraries.just(Kind.CANCEL)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.REMOVE)));
    Arbitrary<Op> op = Combinators.combine(kinds, Arbitraries.integers().between(0, 1000)).as(Op::new);
    return op.list().ofMaxSize(300);
  }

  @Property(tries = 300)
  void neverLosesOrDuplicatesARequest(@ForAll("histories") List<Op> history,
      @ForAll("capacities") int queueCapacity, @ForAll("capacities") int initialSlots) {
    WaitQueue<Integer> queue = new WaitQueue<>(queueCapacity);
    TokenSlots slots = new TokenSlots(initialSlots - 1);
    List<Integer> holding = new ArrayList<>(); // tokens whose requests are being served
    Map<Integer, WaitQueue.Waiter<Integer>> parked = new LinkedHashMap<>(); // request id -> waiter, arrival order
    Map<Integer, String> outcome = new LinkedHashMap<>();
    List<Integer> grantedFromQueue = new ArrayList<>();
    Set<Integer> tokensSeen = new HashSet<>();
    int arrivals = 0;

    for (Op op : history) {
      switch (op.kind()) {
        case ARRIVE -> {
          int id = arrivals++;
          switch (queue.admit(slots)) {
            case Admission.Granted<Integer> g -> {
              record(outcome, id, "granted");
              assertThat(tokensSeen.add(g.slot())).isTrue();
              holding.add(g.slot());
            }
            case Admission.Parked<Integer> p -> {
              parked.put(id, p.waiter());
              p.waiter().future().onComplete(ar -> {
                if (ar.succeeded()) {
                  record(outcome, id, "granted");
                  assertThat(tokensSeen.add(ar.result())).isTrue();
                  holding.add(ar.result());
                  grantedFromQueue.add(id);
                } else {
                  record(outcome, id, "failed");
                }
              });
            }
            case Admission.Full<Integer> f -> {
              assertThat(f.waiting()).isEqualTo(queueCapacity);
              record(outcome, id, "full");
            }
          }
        }
        case RELEASE -> {
          if (!holding.isEmpty()) {
            holding.remove(op.arg() % holding.size());
            slots.release();
            queue.drain(slots);
          }
        }
        case GROW -> {
          slots.grow(1 + op.arg() % 3);
          queue.drain(slots);
        }
        case CANCEL -> {
          if (!parked.isEmpty()) {
            List<Integer> ids = new ArrayList<>(parked.keySet());
            int id = ids.get(op.arg() % ids.size());
            Reason reason = op.arg() % 2 == 0 ? Reason.DEADLINE : Reason.CLIENT_GONE;
            queue.cancel(parked.get(id), new ColdStartException(reason, "cancelled"));
          }
        }
        case REMOVE -> queue.failAll(new ColdStartException(Reason.FUNCTION_REMOVED, "removed"));
      }
      parked.keySet().removeIf(outcome::containsKey);

      // The slot limit holds and every slot out belongs to exactly one request being served.
      assertThat(holding).hasSize(slots.out());
      // No waiter stays parked while a slot is free.
      if (queue.size() > 0) {
        assertThat(slots.free()).isLessThanOrEqualTo(0);
      }
      assertThat(queue.size()).isLessThanOrEqualTo(queueCapacity).isEqualTo(parked.size());
      // Every request is in exactly one place.
      assertThat(outcome.size() + parked.size()).isEqualTo(arrivals);
    }
    // Waiters were served in the order they arrived.
    assertThat(grantedFromQueue).isSorted();
  }

  @Provide
  Arbitrary<Integer> capacities() {
    return Arbitraries.integers().between(1, 6);
  }

  private static void record(Map<Integer, String> outcome, int id, String what) {
    String previous = outcome.putIfAbsent(id, what);
    assertThat(previous).as("request %d already ended as %s, now %s", id, previous, what).isNull();
  }
}
