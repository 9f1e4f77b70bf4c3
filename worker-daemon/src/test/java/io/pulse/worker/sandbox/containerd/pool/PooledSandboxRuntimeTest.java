package io.pulse.worker.sandbox.containerd.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.worker.sandbox.CreatedSandbox;
import io.pulse.worker.sandbox.Resources;
import io.pulse.worker.sandbox.Sandbox;
import io.pulse.worker.sandbox.SandboxKind;
import io.pulse.worker.sandbox.SandboxSpec;
import io.pulse.worker.sandbox.containerd.ContainerdClient;
import io.pulse.worker.sandbox.containerd.ContainerdSandboxRuntime;
import io.pulse.worker.sandbox.containerd.ContainerdSettings;
import io.pulse.worker.sandbox.containerd.api.Container;
import io.pulse.worker.sandbox.containerd.api.Kind;
import io.pulse.worker.sandbox.containerd.api.ListContainersRequest;
import io.pulse.worker.sandbox.containerd.api.ListSnapshotsRequest;
import io.pulse.worker.sandbox.containerd.api.ListTasksRequest;
import io.pulse.worker.sandbox.containerd.api.Status;
import io.pulse.worker.testing.ContainerdHarness;
import io.pulse.worker.testing.ContainerdRig;
import io.pulse.worker.testing.RegistryHarness;
import io.pulse.worker.testing.TestImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pools on a real private containerd, runc and a local registry (host network, ports 30000-30999). */
class PooledSandboxRuntimeTest {

  private static ContainerdRig rig;
  private static ContainerdHarness containerd;
  private static RegistryHarness registry;
  private static String image;
  private static ContainerdClient inspector;

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final List<Object[]> claims = new CopyOnWriteArrayList<>();

  @TempDir
  Path dataDir;

  @BeforeAll
  static void start() throws Exception {
    rig = ContainerdRig.start();
    containerd = rig.containerd();
    registry = rig.registry();
    image = rig.image();
    inspector = rig.inspector();
  }

  @AfterAll
  static void stop() {
    if (rig != null) {
      rig.close();
    }
  }

  @AfterEach
  void stopTimer() {
    timer.shutdownNow();
  }

  private ContainerdSettings settings() {
    return ContainerdSettings.defaults(containerd.socket(), dataDir)
        .withInsecureRegistries(Set.of(registry.host()))
        .withNetwork("host")
        .withPortRange(30000, 30999)
        .withStopGraceMs(500)
        .withDefaultReadinessTimeoutMs(20_000)
        .withSecretsDir(dataDir.resolve("secrets"));
  }

  private PooledSandboxRuntime<?> pooled(PoolBudget budget) {
    ContainerdSandboxRuntime runtime = new ContainerdSandboxRuntime(settings());
    SandboxPool<ContainerdSandboxRuntime.Precreated> pool = new SandboxPool<>(new SandboxPool.Members<>() {
      @Override
      public java.util.concurrent.CompletionStage<ContainerdSandboxRuntime.Precreated> precreate(String id,
          SandboxSpec spec) {
        return runtime.precreate(id, spec);
      }

      @Override
      public java.util.concurrent.CompletionStage<Void> discard(ContainerdSandboxRuntime.Precreated member) {
        return runtime.discard(member);
      }
    }, budget, Clock.systemUTC(), (task, ms) -> timer.schedule(task, ms, TimeUnit.MILLISECONDS));
    PooledSandboxRuntime<ContainerdSandboxRuntime.Precreated> pooled = new PooledSandboxRuntime<>(runtime, pool);
    pooled.countClaimsIn(new PooledSandboxRuntime.Claims() {
      @Override
      public void hit(SandboxKind kind, long claimToReadyNanos) {
        claims.add(new Object[] {"hit", kind});
      }

      @Override
      public void miss(SandboxKind kind) {
        claims.add(new Object[] {"miss", kind});
      }
    });
    pooled.recover().toCompletableFuture().join();
    return pooled;
  }

  private static SandboxSpec spec(String function, long revision) {
    return new SandboxSpec(function, revision, image, List.of(), 0, Map.of(), new Resources(250, 64), 0);
  }

  private static List<Container> containers() {
    return inspector.containers().list(ListContainersRequest.getDefaultInstance()).getContainersList();
  }

  private static Map<String, Status> tasks() {
    Map<String, Status> out = new ConcurrentHashMap<>();
    inspector.tasks().list(ListTasksRequest.getDefaultInstance()).getTasksList()
        .forEach(t -> out.put(t.getContainerId(), t.getStatus()));
    return out;
  }

  private static int ready(SandboxPool<?> pool, String function, long revision) {
    return pool.status().stream().filter(s -> s.key().equals(new PoolKey(function, revision)))
        .mapToInt(PoolStatus::ready).sum();
  }

  private static String get(int port, String path) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET " + path).isEqualTo(200);
    return response.body();
  }

  private static void assertNothingLeft() {
    assertThat(containers()).isEmpty();
    assertThat(tasks()).isEmpty();
    List<String> active = new ArrayList<>();
    inspector.snapshots(null).list(ListSnapshotsRequest.newBuilder().setSnapshotter("overlayfs").build())
        .forEachRemaining(page -> page.getInfoList().stream().filter(i -> i.getKind() == Kind.ACTIVE)
            .forEach(i -> active.add(i.getName())));
    assertThat(active).isEmpty();
  }

  @Test
  void create_onBothTracks_claimsACreatedNotStartedMemberAndThePoolRefills() throws Exception {
    PooledSandboxRuntime<?> runtime = pooled(new PoolBudget(4, 1024));
    try {
      runtime.pool().target(spec("fn-p", 1), 1);
      await().atMost(Duration.ofSeconds(30)).until(() -> ready(runtime.pool(), "fn-p", 1) == 1);
      // A member is a container with a task that never ran, and it is no instance.
      assertThat(tasks().values()).containsExactly(Status.CREATED);
      assertThat(containers()).singleElement().satisfies(c ->
          assertThat(c.getLabelsMap()).containsEntry("io.pulse.pool-member", "true"));
      assertThat(runtime.list()).isEmpty();

      CreatedSandbox regular = runtime.create("fn-p-1", SandboxKind.REGULAR, spec("fn-p", 1))
          .toCompletableFuture().join();
      assertThat(regular.timings().imageMicros()).as("a hit prepares nothing").isZero();
      assertThat(regular.timings().createMicros()).isZero();
      assertThat(get(regular.sandbox().endpoint().port(), "/")).isEqualTo(TestImages.PAGE);
      await().atMost(Duration.ofSeconds(30)).until(() -> ready(runtime.pool(), "fn-p", 1) == 1);

      CreatedSandbox emergency = runtime.create("fn-p-2", SandboxKind.EMERGENCY, spec("fn-p", 1))
          .toCompletableFuture().join();
      assertThat(get(emergency.sandbox().endpoint().port(), "/")).isEqualTo(TestImages.PAGE);
      assertThat(claims).extracting(c -> c[0] + ":" + c[1]).containsExactly("hit:REGULAR", "hit:EMERGENCY");
      assertThat(runtime.list()).extracting(Sandbox::instanceId).containsExactlyInAnyOrder("fn-p-1", "fn-p-2");
      assertThat(runtime.find("fn-p-2").orElseThrow().kind()).isEqualTo(SandboxKind.EMERGENCY);
      // A claimed member comes to carry its instance's labels, and no pool label (relabelled after the answer).
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(containers())
          .filteredOn(c -> "fn-p-2".equals(c.getLabelsMap().get("io.pulse.instance")))
          .singleElement().satisfies(c -> {
            assertThat(c.getLabelsMap()).doesNotContainKey("io.pulse.pool-member")
                .containsEntry("io.pulse.kind", "EMERGENCY");
            assertThat(c.getId()).startsWith("pool-fn-p-r1-");
          }));

      assertThat(runtime.delete("fn-p-1").toCompletableFuture().join()).isTrue();
      assertThat(runtime.delete("fn-p-2").toCompletableFuture().join()).isTrue();
      await().atMost(Duration.ofSeconds(30)).until(() -> ready(runtime.pool(), "fn-p", 1) == 1);
    } finally {
      runtime.close().toCompletableFuture().join();
    }
    assertNothingLeft();
  }

  @Test
  void hit_refillsOnlyOnceTheClaimedMemberIsReady() throws Exception {
    ContainerdSandboxRuntime containerdRuntime = new ContainerdSandboxRuntime(settings());
    // What the claimed instance was when each refill began: a member prepared meanwhile would share the worker's CPUs
    // and containerd with the start the creation waits for.
    List<String> claimedAtRefill = new CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicReference<PooledSandboxRuntime<?>> self =
        new java.util.concurrent.atomic.AtomicReference<>();
    SandboxPool<ContainerdSandboxRuntime.Precreated> pool = new SandboxPool<>(new SandboxPool.Members<>() {
      @Override
      public java.util.concurrent.CompletionStage<ContainerdSandboxRuntime.Precreated> precreate(String id,
          SandboxSpec spec) {
        if (self.get() != null) {
          claimedAtRefill.add(self.get().find("fn-q-1").map(s -> s.state().name()).orElse("absent"));
        }
        return containerdRuntime.precreate(id, spec);
      }

      @Override
      public java.util.concurrent.CompletionStage<Void> discard(ContainerdSandboxRuntime.Precreated member) {
        return containerdRuntime.discard(member);
      }
    }, new PoolBudget(4, 1024), Clock.systemUTC(), (task, ms) -> timer.schedule(task, ms, TimeUnit.MILLISECONDS));
    PooledSandboxRuntime<ContainerdSandboxRuntime.Precreated> runtime =
        new PooledSandboxRuntime<>(containerdRuntime, pool);
    runtime.recover().toCompletableFuture().join();
    try {
      pool.target(spec("fn-q", 1), 1);
      await().atMost(Duration.ofSeconds(30)).until(() -> ready(pool, "fn-q", 1) == 1);
      self.set(runtime);

      CreatedSandbox hit = runtime.create("fn-q-1", SandboxKind.REGULAR, spec("fn-q", 1)).toCompletableFuture().join();

      assertThat(hit.timings().createMicros()).as("a hit").isZero();
      await().atMost(Duration.ofSeconds(30)).until(() -> ready(pool, "fn-q", 1) == 1);
      assertThat(claimedAtRefill).containsExactly("READY");
      assertThat(runtime.delete("fn-q-1").toCompletableFuture().join()).isTrue();
    } finally {
      runtime.close().toCompletableFuture().join();
    }
    assertNothingLeft();
  }

  @Test
  void create_withoutAMember_isAMissAndCreatesAsAlways() throws Exception {
    PooledSandboxRuntime<?> runtime = pooled(new PoolBudget(4, 1024));
    try {
      CreatedSandbox created = runtime.create("fn-q-1", SandboxKind.EMERGENCY, spec("fn-q", 1))
          .toCompletableFuture().join();

      assertThat(created.timings().imageMicros()).isPositive();
      assertThat(get(created.sandbox().endpoint().port(), "/")).isEqualTo(TestImages.PAGE);
      assertThat(claims).extracting(c -> c[0] + ":" + c[1]).containsExactly("miss:EMERGENCY");
    } finally {
      runtime.close().toCompletableFuture().join();
    }
    assertNothingLeft();
  }

  @Test
  void newRevision_drainsTheOldRevisionsPool() {
    PooledSandboxRuntime<?> runtime = pooled(new PoolBudget(4, 1024));
    try {
      runtime.pool().target(spec("fn-v", 1), 2);
      await().atMost(Duration.ofSeconds(30)).until(() -> ready(runtime.pool(), "fn-v", 1) == 2);

      runtime.pool().target(spec("fn-v", 2), 1);

      await().atMost(Duration.ofSeconds(30)).until(() -> ready(runtime.pool(), "fn-v", 2) == 1
          && containers().size() == 1);
      assertThat(runtime.pool().status()).extracting(PoolStatus::key).containsExactly(new PoolKey("fn-v", 2));
      assertThat(containers()).singleElement().satisfies(c ->
          assertThat(c.getLabelsMap()).containsEntry("io.pulse.revision", "2"));

      runtime.pool().drain("fn-v");
      await().atMost(Duration.ofSeconds(30)).until(() -> containers().isEmpty());
      assertThat(runtime.pool().status()).isEmpty();
    } finally {
      runtime.close().toCompletableFuture().join();
    }
    assertNothingLeft();
  }

  @Test
  void budget_isNeverExceededAndAClaimedMembersRoomGoesToThePoolHoldingFewest() {
    // Room for three members but only 128 MiB (two of these).
    PooledSandboxRuntime<?> runtime = pooled(new PoolBudget(3, 128));
    try {
      runtime.pool().target(spec("fn-a", 1), 2);
      await().atMost(Duration.ofSeconds(30)).until(() -> ready(runtime.pool(), "fn-a", 1) == 2);
      runtime.pool().target(spec("fn-b", 1), 2);
      assertThat(runtime.pool().status()).extracting(s -> s.ready() + s.creating()).containsExactly(2, 0);

      runtime.create("fn-a-1", SandboxKind.REGULAR, spec("fn-a", 1)).toCompletableFuture().join();

      await().atMost(Duration.ofSeconds(30)).until(() -> ready(runtime.pool(), "fn-b", 1) == 1);
      assertThat(runtime.pool().status()).extracting(s -> s.ready() + s.creating()).containsExactly(1, 1);
      assertThat(containers()).hasSize(3);
    } finally {
      runtime.close().toCompletableFuture().join();
    }
    assertNothingLeft();
  }

  @Test
  void badImage_backsOffAndSaysWhyLeavingNothing() {
    PooledSandboxRuntime<?> runtime = pooled(new PoolBudget(4, 1024));
    try {
      SandboxSpec missing = new SandboxSpec("fn-m", 1, registry.host() + "/pulse/missing:v1", List.of(), 0,
          Map.of(), new Resources(250, 64), 0);
      runtime.pool().target(missing, 2);

      await().atMost(Duration.ofSeconds(30)).until(() -> runtime.pool().status().getFirst().failures() >= 1);
      PoolStatus status = runtime.pool().status().getFirst();
      assertThat(status.lastError()).contains("HTTP 404");
      assertThat(status.ready()).isZero();
      assertThat(containers()).isEmpty();
    } finally {
      runtime.close().toCompletableFuture().join();
    }
    assertNothingLeft();
  }

  @Test
  void recover_afterTheWorkerDied_adoptsClaimedInstancesAndRemovesMembers() throws Exception {
    PooledSandboxRuntime<?> first = pooled(new PoolBudget(4, 1024));
    first.pool().target(spec("fn-k", 1), 2);
    await().atMost(Duration.ofSeconds(30)).until(() -> ready(first.pool(), "fn-k", 1) == 2);
    Sandbox claimed = first.create("fn-k-1", SandboxKind.REGULAR, spec("fn-k", 1)).toCompletableFuture().join()
        .sandbox();
    await().atMost(Duration.ofSeconds(30)).until(() -> ready(first.pool(), "fn-k", 1) == 2);
    timer.shutdownNow();
    // The worker "dies" (as with kill -9): nothing is deleted, three containers stay, two never started.
    assertThat(containers()).hasSize(3);

    ContainerdSandboxRuntime second = new ContainerdSandboxRuntime(settings());
    try {
      List<Sandbox> adopted = second.recover().toCompletableFuture().join();

      assertThat(adopted).extracting(Sandbox::instanceId).containsExactly("fn-k-1");
      assertThat(adopted.getFirst().endpoint()).isEqualTo(claimed.endpoint());
      assertThat(get(claimed.endpoint().port(), "/")).isEqualTo(TestImages.PAGE);
      assertThat(containers()).singleElement().satisfies(c -> assertThat(c.getId()).startsWith("pool-fn-k-r1-"));
      assertThat(tasks().values()).containsExactly(Status.RUNNING);

      assertThat(second.delete("fn-k-1").toCompletableFuture().join()).isTrue();
      assertNothingLeft();
    } finally {
      second.close().toCompletableFuture().join();
      first.close().toCompletableFuture().join();
    }
  }
}
