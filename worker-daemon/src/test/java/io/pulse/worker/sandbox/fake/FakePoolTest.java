package io.pulse.worker.sandbox.fake;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.worker.sandbox.CreatedSandbox;
import io.pulse.worker.sandbox.Resources;
import io.pulse.worker.sandbox.SandboxKind;
import io.pulse.worker.sandbox.SandboxSpec;
import io.pulse.worker.sandbox.SandboxState;
import io.pulse.worker.sandbox.containerd.pool.PoolBudget;
import io.pulse.worker.sandbox.containerd.pool.PoolStatus;
import io.pulse.worker.sandbox.containerd.pool.PooledSandboxRuntime;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The fake runtime's simulated pool: containerd's pool logic over fake members. */
class FakePoolTest {

  private static final SandboxSpec SPEC = revision(1);
  /** Never passes within a test: whatever waits for it is still waiting when the test looks. */
  private static final Distribution FOREVER = new Distribution.Constant(600_000);

  private static FakeSandboxRuntime fake(Distribution coldStart, Distribution poolStart) {
    return new FakeSandboxRuntime(null, "127.0.0.1", FakeProfile.DEFAULT.withServeHttp(false)
        .withColdStartMs(coldStart).withPoolStartMs(poolStart), 30000, 30999);
  }

  @Test
  void member_takesTheColdStartToCreate_andItsClaimTheStartTimeOnly() throws Exception {
    FakeSandboxRuntime slowToCreate = fake(FOREVER, Distribution.ZERO);
    assertThat(slowToCreate.precreate("m-1", SPEC).toCompletableFuture().isDone()).isFalse();
    CreatedSandbox started = slowToCreate.start(new FakeSandboxRuntime.Member("m-2", SPEC, 0), "i-1",
        SandboxKind.EMERGENCY).toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(started.sandbox().state()).isEqualTo(SandboxState.READY);
    assertThat(started.sandbox().function()).isEqualTo("f");

    FakeSandboxRuntime slowToStart = fake(Distribution.ZERO, FOREVER);
    FakeSandboxRuntime.Member member = slowToStart.precreate("m-1", SPEC).toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
    assertThat(slowToStart.list()).isEmpty(); // a member is not a sandbox until claimed
    CompletableFuture<CreatedSandbox> claiming = slowToStart.start(member, "i-1", SandboxKind.REGULAR)
        .toCompletableFuture();
    assertThat(slowToStart.find("i-1")).get().extracting(s -> s.state()).isEqualTo(SandboxState.STARTING);
    assertThat(claiming.isDone()).isFalse();
  }

  @Test
  void pooledFake_claimIsAHit_refillsInTheBackground_andNeverExceedsTheBudget() throws Exception {
    PooledSandboxRuntime<FakeSandboxRuntime.Member> pooled = PooledSandboxRuntime.of(
        fake(Distribution.ZERO, Distribution.ZERO), new PoolBudget(3, 1024), Clock.systemUTC());
    List<String> claims = new CopyOnWriteArrayList<>();
    pooled.countClaimsIn(new PooledSandboxRuntime.Claims() {
      @Override
      public void hit(SandboxKind kind, long claimToReadyNanos) {
        claims.add("hit " + kind);
      }

      @Override
      public void miss(SandboxKind kind) {
        claims.add("miss " + kind);
      }
    });
    pooled.pool().target(SPEC, 5); // more than the budget's 3 members

    await(() -> ready(pooled) == 3);
    CreatedSandbox created = pooled.create("i-1", SandboxKind.EMERGENCY, SPEC).toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
    assertThat(created.sandbox().state()).isEqualTo(SandboxState.READY);
    assertThat(claims).containsExactly("hit EMERGENCY");
    await(() -> ready(pooled) == 3); // refilled
    PoolStatus status = pooled.pool().status().getFirst();
    assertThat(status.ready() + status.creating()).isLessThanOrEqualTo(3);
    assertThat(pooled.list()).extracting(s -> s.instanceId()).containsExactly("i-1");

    pooled.create("i-2", SandboxKind.REGULAR, revision(2)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(claims).containsExactly("hit EMERGENCY", "miss REGULAR"); // no member of revision 2
    assertThat(pooled.pool().status()).noneMatch(p -> p.key().revision() == 1); // the old revision drained
    pooled.close().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void pooledFake_reportsItsCreationTimeAsTheRefillTime() throws Exception {
    // Automatic sizing reads the refill time; a fake reporting 0 made the leader fall back to its default.
    PooledSandboxRuntime<FakeSandboxRuntime.Member> pooled = PooledSandboxRuntime.of(
        fake(new Distribution.Constant(40), Distribution.ZERO), new PoolBudget(3, 1024), Clock.systemUTC());
    pooled.pool().target(SPEC, 1);

    await(() -> ready(pooled) == 1);
    assertThat(pooled.pool().status().getFirst().refillMicros()).isEqualTo(40_000);
    pooled.close().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static SandboxSpec revision(long revision) {
    return new SandboxSpec("f", revision, "registry.local/f:1", List.of(), 0, Map.of(), new Resources(100, 64), 0);
  }

  private static int ready(PooledSandboxRuntime<?> pooled) {
    return pooled.pool().status().stream().mapToInt(PoolStatus::ready).sum();
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met within 20 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
