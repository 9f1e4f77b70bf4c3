package io.pulse.worker.sandbox.containerd;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.worker.sandbox.Resources;
import io.pulse.worker.sandbox.Sandbox;
import io.pulse.worker.sandbox.SandboxKind;
import io.pulse.worker.sandbox.SandboxSpec;
import io.pulse.worker.sandbox.containerd.api.Container;
import io.pulse.worker.sandbox.containerd.api.GetContainerRequest;
import io.pulse.worker.sandbox.containerd.api.ListContainersRequest;
import io.pulse.worker.sandbox.containerd.api.ListTasksRequest;
import io.pulse.worker.sandbox.containerd.api.Status;
import io.pulse.worker.testing.ContainerdRig;
import io.pulse.worker.testing.TestImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A claim of a pool member answers once the sandbox accepts connections, before containerd relabels its container;
 * the claim record beside it lets a worker that died in between re-adopt the instance. Real containerd; host ports
 * 40000-40499.
 */
class ClaimRelabelTest {

  private static ContainerdRig rig;

  @TempDir
  Path dataDir;

  /** Runs nothing until told: the relabels a claim hands over, held back. */
  private static final class Held implements Executor {
    final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
    }

    void runAll() {
      for (Runnable task; (task = tasks.poll()) != null; ) {
        task.run();
      }
    }
  }

  @BeforeAll
  static void start() throws Exception {
    rig = ContainerdRig.start();
  }

  @AfterAll
  static void stop() {
    if (rig != null) {
      rig.close();
    }
  }

  private ContainerdSettings settings() {
    return ContainerdSettings.defaults(rig.containerd().socket(), dataDir)
        .withInsecureRegistries(Set.of(rig.registry().host()))
        .withNetwork("host")
        .withPortRange(40000, 40499)
        .withStopGraceMs(500)
        .withDefaultReadinessTimeoutMs(20_000)
        .withSecretsDir(dataDir.resolve("secrets"));
  }

  private static SandboxSpec spec() {
    return new SandboxSpec("fn-c", 1, rig.image(), List.of(), 0, Map.of(), new Resources(250, 64), 0);
  }

  private static Map<String, String> labels(String containerId) {
    return rig.inspector().containers().get(GetContainerRequest.newBuilder().setId(containerId).build())
        .getContainer().getLabelsMap();
  }

  private static String get(Sandbox sandbox) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + sandbox.endpoint().port() + "/")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    return response.body();
  }

  @Test
  void claim_answersBeforeTheRelabel() throws Exception {
    Held relabels = new Held();
    ContainerdSandboxRuntime runtime = new ContainerdSandboxRuntime(settings(), relabels);
    try {
      runtime.recover().toCompletableFuture().join();
      ContainerdSandboxRuntime.Precreated member = runtime.precreate("pool-fn-c-a", spec()).toCompletableFuture()
          .join();

      Sandbox claimed = runtime.start(member, "fn-c-1", SandboxKind.REGULAR).toCompletableFuture().join().sandbox();

      // Answered and serving while the container still carries the member's labels.
      assertThat(get(claimed)).isEqualTo(TestImages.PAGE);
      assertThat(labels("pool-fn-c-a")).containsEntry(SandboxLabels.POOL_MEMBER, "true")
          .containsEntry(SandboxLabels.PREFIX + "instance", "pool-fn-c-a");
      assertThat(relabels.tasks).hasSize(1);

      relabels.runAll();

      assertThat(labels("pool-fn-c-a")).doesNotContainKey(SandboxLabels.POOL_MEMBER)
          .containsEntry(SandboxLabels.PREFIX + "instance", "fn-c-1");
      assertThat(runtime.delete("fn-c-1").toCompletableFuture().join()).isTrue();
    } finally {
      runtime.close().toCompletableFuture().join();
    }
  }

  @Test
  void recover_afterTheWorkerDiedBetweenAnswerAndRelabel_adoptsTheInstanceFromItsClaimRecord() throws Exception {
    Held neverRun = new Held();
    ContainerdSandboxRuntime first = new ContainerdSandboxRuntime(settings(), neverRun);
    first.recover().toCompletableFuture().join();
    ContainerdSandboxRuntime.Precreated claimedMember = first.precreate("pool-fn-c-b", spec())
        .toCompletableFuture().join();
    first.precreate("pool-fn-c-c", spec()).toCompletableFuture().join();
    Sandbox claimed = first.start(claimedMember, "fn-c-2", SandboxKind.EMERGENCY).toCompletableFuture().join()
        .sandbox();
    // The worker "dies" (kill -9) before the relabel: both containers still say "pool member".
    assertThat(labels("pool-fn-c-b")).containsEntry(SandboxLabels.POOL_MEMBER, "true");

    ContainerdSandboxRuntime second = new ContainerdSandboxRuntime(settings());
    try {
      List<Sandbox> adopted = second.recover().toCompletableFuture().join();

      assertThat(adopted).singleElement().satisfies(s -> {
        assertThat(s.instanceId()).isEqualTo("fn-c-2");
        assertThat(s.kind()).isEqualTo(SandboxKind.EMERGENCY);
        assertThat(s.endpoint()).isEqualTo(claimed.endpoint());
      });
      assertThat(get(claimed)).isEqualTo(TestImages.PAGE);
      // The unclaimed member is gone; the claimed one now carries its instance's labels.
      assertThat(rig.inspector().containers().list(ListContainersRequest.getDefaultInstance()).getContainersList())
          .extracting(Container::getId).containsExactly("pool-fn-c-b");
      assertThat(labels("pool-fn-c-b")).doesNotContainKey(SandboxLabels.POOL_MEMBER)
          .containsEntry(SandboxLabels.PREFIX + "instance", "fn-c-2");
      assertThat(rig.inspector().tasks().list(ListTasksRequest.getDefaultInstance()).getTasksList())
          .extracting(t -> t.getStatus()).containsExactly(Status.RUNNING);

      assertThat(second.delete("fn-c-2").toCompletableFuture().join()).isTrue();
      assertThat(rig.inspector().containers().list(ListContainersRequest.getDefaultInstance()).getContainersList())
          .isEmpty();
    } finally {
      second.close().toCompletableFuture().join();
      first.close().toCompletableFuture().join();
    }
  }
}
