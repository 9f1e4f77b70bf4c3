package io.pulse.worker.sandbox.containerd.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.common.net.HostPort;
import io.pulse.worker.sandbox.Resources;
import io.pulse.worker.sandbox.SandboxSpec;
import io.pulse.worker.sandbox.Timings;
import io.pulse.worker.sandbox.containerd.ContainerdSandboxRuntime.Precreated;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The pool's runner with members made at once (or refused) and a manual clock and timer. */
class SandboxPoolTest {

  private static final long IDLE_MS = 3_600_000;

  private long nowMs = 1_000_000;
  private final List<String> created = new ArrayList<>();
  private final List<String> discarded = new ArrayList<>();
  private final List<Runnable> scheduled = new ArrayList<>();
  private final List<Long> delays = new ArrayList<>();
  private boolean failing;
  private long precreateMicros = 90_000;
  /** Set: creations land only when the test runs these. */
  private boolean holding;
  private final List<Runnable> landings = new ArrayList<>();
  private Runnable onPrecreate = () -> { };

  private final SandboxPool.Members<Precreated> members = new SandboxPool.Members<>() {
    @Override
    public CompletionStage<Precreated> precreate(String memberId, SandboxSpec spec) {
      created.add(memberId);
      onPrecreate.run();
      if (failing) {
        return CompletableFuture.failedFuture(new IllegalStateException("image: HTTP 404"));
      }
      Precreated member = new Precreated(memberId, spec, new HostPort("127.0.0.1", 1), "127.0.0.1", 0,
          Path.of("/tmp"), new Timings(0, 0, 0, 0, 0, precreateMicros));
      if (holding) {
        CompletableFuture<Precreated> landing = new CompletableFuture<>();
        landings.add(() -> landing.complete(member));
        return landing;
      }
      return CompletableFuture.completedFuture(member);
    }

    @Override
    public CompletionStage<Void> discard(Precreated member) {
      discarded.add(member.containerId());
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public long creationMicros(Precreated member) {
      return member.timings().totalMicros();
    }
  };

  private final SandboxPool<Precreated> pool = new SandboxPool<>(members, new PoolBudget(10, 10_240), new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(nowMs);
    }
  }, (task, delayMs) -> {
    scheduled.add(task);
    delays.add(delayMs);
  }, IDLE_MS);

  private static SandboxSpec spec(String function, long revision) {
    return new SandboxSpec(function, revision, "img", List.of(), 0, Map.of(), new Resources(250, 64), 0);
  }

  private void runTimers() {
    List<Runnable> due = List.copyOf(scheduled);
    scheduled.clear();
    due.forEach(Runnable::run);
  }

  @Test
  void claim_handsOutAMember_andRefillsOnceTheClaimSettled() {
    pool.target(spec("f", 1), 2);
    assertThat(created).hasSize(2);

    assertThat(pool.claim("f", 1)).isPresent();
    assertThat(created).as("nothing prepared while the claimed member starts").hasSize(2);
    pool.claimSettled();

    assertThat(created).hasSize(3);
    assertThat(pool.status()).singleElement().satisfies(s -> assertThat(s.ready()).isEqualTo(2));
    assertThat(pool.claim("f", 2)).isEmpty();
  }

  @Test
  void status_reportsTheLastMembersCreationTime_theRefillTimeAutomaticSizingNeeds() {
    failing = true;
    pool.target(spec("f", 1), 1);
    assertThat(pool.status().getFirst().refillMicros()).as("nothing created yet").isZero();

    failing = false;
    nowMs += 1_000;
    runTimers();
    assertThat(pool.status().getFirst().refillMicros()).isEqualTo(90_000);
    precreateMicros = 120_000;
    pool.claim("f", 1);
    pool.claimSettled();
    assertThat(pool.status().getFirst().refillMicros()).isEqualTo(120_000);
  }

  @Test
  void badImage_backsOffDoublingOneTryAtATimeAndRecoversWhenItWorks() {
    failing = true;
    pool.target(spec("f", 1), 2);
    // Both first creations were under way at once; each failure pushes the next try further out.
    assertThat(created).hasSize(2);
    assertThat(pool.status().getFirst().failures()).isEqualTo(2);
    assertThat(pool.status().getFirst().lastError()).isEqualTo("image: HTTP 404");

    runTimers();
    assertThat(created).as("too early: the clock has not moved").hasSize(2);
    nowMs += 1_000;
    runTimers();
    assertThat(created).as("one try").hasSize(3);
    assertThat(pool.status().getFirst().failures()).isEqualTo(3);
    runTimers();
    assertThat(created).hasSize(3);
    assertThat(delays).filteredOn(d -> d < IDLE_MS).containsExactly(500L, 1_000L, 2_000L, 2_000L);

    failing = false;
    nowMs += 2_000;
    runTimers();
    assertThat(pool.status()).singleElement().satisfies(s -> {
      assertThat(s.ready()).isEqualTo(2);
      assertThat(s.failures()).isZero();
      assertThat(s.lastError()).isNull();
    });
    assertThat(created).hasSize(5);
  }

  @Test
  void idlePool_isDrainedWhenNobodyAskedForItsRevisionWithinTheIdleTime() {
    pool.target(spec("gone", 1), 2);
    pool.target(spec("busy", 1), 1);
    assertThat(delays).containsExactly(IDLE_MS);

    nowMs += IDLE_MS - 1;
    pool.claim("busy", 1);
    nowMs += 1;
    runTimers();

    assertThat(discarded).hasSize(2).allSatisfy(id -> assertThat(id).startsWith("pool-gone-r1-"));
    assertThat(pool.status()).extracting(PoolStatus::key).containsExactly(new PoolKey("busy", 1));
    assertThat(delays).containsExactly(IDLE_MS, IDLE_MS);
    nowMs += IDLE_MS;
    runTimers();
    assertThat(pool.status()).isEmpty();
    assertThat(scheduled).as("no pools, no sweeps").isEmpty();
  }

  @Test
  void newerRevision_drainsTheOlderPools() {
    pool.target(spec("f", 1), 2);
    pool.target(spec("g", 1), 1);

    pool.target(spec("f", 2), 1);

    assertThat(discarded).hasSize(2).allSatisfy(id -> assertThat(id).startsWith("pool-f-r1-"));
    assertThat(pool.status()).extracting(PoolStatus::key).containsExactly(new PoolKey("f", 2), new PoolKey("g", 1));
    assertThat(pool.claim("f", 3)).isEmpty();
    assertThat(pool.status()).extracting(PoolStatus::key).containsExactly(new PoolKey("g", 1));
  }

  @Test
  void lowerTarget_discardsTheSurplusAndZeroForgetsThePool() {
    pool.target(spec("f", 1), 3);

    pool.target(spec("f", 1), 1);
    assertThat(discarded).hasSize(2);
    pool.target(spec("f", 1), 0);

    assertThat(discarded).hasSize(3);
    assertThat(pool.status()).isEmpty();
  }

  @Test
  void close_discardsEveryMemberAndRefusesNewOnes() {
    pool.target(spec("f", 1), 2);

    pool.close().toCompletableFuture().join();
    pool.target(spec("g", 1), 2);

    assertThat(discarded).hasSize(2);
    assertThat(created).hasSize(2);
    assertThat(pool.claim("f", 1)).isEmpty();
  }

  @Test
  void close_whileCreationsAreUnderWay_discardsThemAsTheyLandAndRefillsNothing() {
    holding = true;
    pool.target(spec("f", 1), 3);
    assertThat(created).hasSize(3);

    pool.close().toCompletableFuture().join();
    landings.forEach(Runnable::run);
    runTimers();

    assertThat(discarded).containsExactlyInAnyOrderElementsOf(created);
    assertThat(created).as("no refill after the close").hasSize(3);
    assertThat(pool.status()).isEmpty();
  }

  @Test
  void close_betweenARefillsPlanAndItsCreations_startsNoneOfTheRest() {
    onPrecreate = () -> pool.close();

    pool.target(spec("f", 1), 3);

    assertThat(created).as("only the creation under way when the close came").hasSize(1);
    assertThat(discarded).isEqualTo(created);
  }
}
