package io.pulse.dataplane.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.dataplane.routing.Instance;
import io.pulse.dataplane.routing.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class BalancerTest {

  private static final Instance A = new Instance("a", "h", 1, "w");
  private static final Instance B = new Instance("b", "h", 2, "w");

  @Test
  void tryAcquire_honoursSlotsAndSpreads() {
    InFlightCounters counters = new InFlightCounters();
    Balancer balancer = new Balancer(counters, LbPolicy.leastLoaded());
    Route route = new Route("f", 1, 2, 30, List.of(A, B));
    List<Lease> leases = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      leases.add(balancer.tryAcquire(route));
    }
    assertThat(leases).doesNotContainNull();
    assertThat(counters.inFlight("a")).isEqualTo(2);
    assertThat(counters.inFlight("b")).isEqualTo(2);
    assertThat(balancer.tryAcquire(route)).isNull();
    assertThat(balancer.tryAcquire(new Route("g", 1, 1, 30, List.of()))).isNull();
  }

  @Test
  void freeSlots_countsWhatTryAcquireCouldStillTake() {
    Balancer balancer = new Balancer(new InFlightCounters(), LbPolicy.leastLoaded());
    Route route = new Route("f", 1, 2, 30, List.of(A, B));
    assertThat(balancer.freeSlots(route)).isEqualTo(4);
    Lease lease = balancer.tryAcquire(route);
    balancer.tryAcquire(route);
    balancer.tryAcquire(route);
    assertThat(balancer.freeSlots(route)).isEqualTo(1);
    lease.release();
    assertThat(balancer.freeSlots(route)).isEqualTo(2);
    assertThat(balancer.freeSlots(new Route("g", 1, 1, 30, List.of()))).isZero();
  }

  @Test
  void release_isIdempotentAndNotifies() {
    Balancer balancer = new Balancer(new InFlightCounters(), LbPolicy.leastLoaded());
    List<String> released = new ArrayList<>();
    balancer.onRelease(released::add);
    Lease lease = balancer.tryAcquire(new Route("f", 1, 1, 30, List.of(A)));
    assertThat(lease.release()).isTrue();
    assertThat(lease.release()).isFalse();
    assertThat(released).containsExactly("f");
  }

  @Test
  void counters_surviveATableSwap() {
    InFlightCounters counters = new InFlightCounters();
    Balancer balancer = new Balancer(counters, LbPolicy.leastLoaded());
    Lease lease = balancer.tryAcquire(new Route("f", 1, 1, 30, List.of(A)));
    // The next table is a new Route object with the same instance: the slot is still taken.
    Route next = new Route("f", 2, 1, 30, List.of(new Instance("a", "h", 1, "w")));
    counters.retainOnly(Set.of("a"));
    assertThat(balancer.tryAcquire(next)).isNull();
    lease.release();
    assertThat(balancer.tryAcquire(next)).isNotNull();
  }

  @Test
  void retainOnly_dropsOnlyIdleCountersOfGoneInstances() {
    InFlightCounters counters = new InFlightCounters();
    Balancer balancer = new Balancer(counters, LbPolicy.leastLoaded());
    Lease busy = balancer.tryAcquire(new Route("f", 1, 1, 30, List.of(A)));
    balancer.tryAcquire(new Route("g", 1, 1, 30, List.of(B))).release();
    counters.retainOnly(Set.of());
    assertThat(counters.size()).isEqualTo(1);
    assertThat(counters.inFlight("a")).isEqualTo(1);
    busy.release();
  }

  @Test
  void tryAcquire_neverExceedsSlotsUnderContention() throws Exception {
    InFlightCounters counters = new InFlightCounters();
    Balancer balancer = new Balancer(counters, LbPolicy.leastLoaded());
    Route route = new Route("f", 1, 3, 30, List.of(A, B));
    AtomicIntegerArray held = new AtomicIntegerArray(2);
    AtomicInteger violations = new AtomicInteger();
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      workers.add(Thread.ofPlatform().start(() -> {
        try {
          start.await();
          for (int i = 0; i < 20_000; i++) {
            Lease lease = balancer.tryAcquire(route);
            if (lease == null) {
              continue;
            }
            int index = lease.instance().id().equals("a") ? 0 : 1;
            if (held.incrementAndGet(index) > 3) {
              violations.incrementAndGet();
            }
            held.decrementAndGet(index);
            lease.release();
          }
        } catch (Throwable e) {
          errors.add(e);
        }
      }));
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join();
    }
    assertThat(errors).isEmpty();
    assertThat(violations.get()).isZero();
    assertThat(counters.inFlight("a")).isZero();
    assertThat(counters.inFlight("b")).isZero();
  }

  @Test
  void suspectInstance_isAvoidedUntilItsSuspicionEnds() {
    long[] now = {0};
    Suspects suspects = new Suspects(() -> now[0], 5_000);
    Balancer balancer = new Balancer(new InFlightCounters(), LbPolicy.leastLoaded(), suspects);
    Route route = new Route("f", 1, 10, 30, List.of(A, B));
    suspects.refused("a");
    for (int i = 0; i < 4; i++) {
      assertThat(balancer.tryAcquire(route).instance()).isEqualTo(B);
    }
    now[0] = 5_000;
    List<Instance> picked = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      picked.add(balancer.tryAcquire(route).instance());
    }
    assertThat(picked).contains(A);
  }

  @Test
  void suspectInstance_isForgottenWhenItLeavesTheTable() {
    Suspects suspects = new Suspects(() -> 0, 5_000);
    Balancer balancer = new Balancer(new InFlightCounters(), LbPolicy.leastLoaded(), suspects);
    suspects.refused("a");
    suspects.retainOnly(Set.of("b"));
    // Back in a later table under the same id (a new instance there): not suspect.
    Route route = new Route("f", 1, 10, 30, List.of(A, B));
    List<Instance> picked = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      picked.add(balancer.tryAcquire(route).instance());
    }
    assertThat(picked).contains(A);
  }

  @Test
  void suspectsWithFreeSlots_areNotUsedWhileATrustedInstanceIsFull() {
    Suspects suspects = new Suspects(() -> 0, 5_000);
    Balancer balancer = new Balancer(new InFlightCounters(), LbPolicy.leastLoaded(), suspects);
    Route route = new Route("f", 1, 1, 30, List.of(A, B));
    suspects.refused("a");
    assertThat(balancer.tryAcquire(route).instance()).isEqualTo(B);
    assertThat(balancer.tryAcquire(route)).as("wait for B rather than go to A").isNull();
  }

  @Test
  void allInstancesSuspect_areUsedAsBefore() {
    Suspects suspects = new Suspects(() -> 0, 5_000);
    Balancer balancer = new Balancer(new InFlightCounters(), LbPolicy.leastLoaded(), suspects);
    suspects.refused("a");
    assertThat(balancer.tryAcquire(new Route("f", 1, 1, 30, List.of(A))).instance()).isEqualTo(A);
  }
}
