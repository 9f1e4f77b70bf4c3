package io.pulse.controlplane;

import static io.pulse.controlplane.ControlPlaneHarness.eventually;
import static io.pulse.controlplane.ControlPlaneHarness.load;
import static io.pulse.controlplane.ControlPlaneHarness.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.api.v1.CreateSandboxRequest;
import io.pulse.api.v1.FunctionRoute;
import io.pulse.api.v1.InstanceKind;
import io.pulse.api.v1.InstanceRoute;
import io.pulse.controlplane.ControlPlaneHarness.RouteWatcher;
import io.pulse.controlplane.registry.FunctionSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduling core end to end over its real gRPC service: fake workers (real gRPC servers) take the commands, a
 * test data plane watches routes and reports load.
 */
class ControlPlaneLifecycleTest {

  private ControlPlaneHarness harness;

  @AfterEach
  void tearDown() throws Exception {
    if (harness != null) {
      harness.close();
    }
  }

  private FakeWorker worker(String id) {
    return harness.worker(id);
  }

  @Test
  void scaleFromZero_immediateReport_doesNotWaitForTheTick() throws Exception {
    // The autoscaler tick is ten minutes away: only the scale-from-zero path can create the instance.
    harness = new ControlPlaneHarness(ControlPlaneHarness.testConfig().withTickMs(600_000));
    FakeWorker worker = worker("w1");
    harness.join(worker);
    harness.create(spec("hello", 0, 60));
    RouteWatcher dataPlane = harness.watch("dp-1");
    eventually().until(() -> dataPlane.functions.containsKey("hello"));
    assertThat(dataPlane.instanceIds("hello")).isEmpty();
    assertThat(worker.creates).isEmpty();

    harness.report("dp-1", load("hello", 1, 0, 1, 1));

    eventually().until(() -> dataPlane.instanceIds("hello").size() == 1);
    CreateSandboxRequest create = worker.creates.get(0);
    assertThat(create.getKind()).isEqualTo(InstanceKind.REGULAR);
    assertThat(create.getEpoch()).isEqualTo(harness.controlPlane.epoch());
    assertThat(create.getInstanceId()).startsWith("hello-1-");
    assertThat(create.getSpec().getCommandList()).containsExactly("fake-function", "--port", "${PORT}");
    assertThat(create.getSpec().getEnvMap()).containsEntry("GREETING", "hi");
    assertThat(create.getSpec().getReadinessTimeoutMs()).isEqualTo(5000);
    InstanceRoute route = dataPlane.instances("hello").get(0);
    assertThat(route.getInstanceId()).isEqualTo(create.getInstanceId());
    assertThat(route.getWorkerId()).isEqualTo("w1");
    assertThat(route.getEndpoint().getPort())
        .isEqualTo(worker.sandboxes.get(create.getInstanceId()).getEndpoint().getPort());
  }

  @Test
  void scaleUp_withLoad_createsOneInstancePerUnitOfConcurrency() throws Exception {
    harness = new ControlPlaneHarness();
    FakeWorker worker = worker("w1");
    harness.join(worker);
    harness.create(spec("busy", 0, 60));
    RouteWatcher dataPlane = harness.watch("dp-1");

    harness.reportContinuously("dp-1", () -> List.of(load("busy", 4, 4, 0, 20)));

    eventually().until(() -> dataPlane.instanceIds("busy").size() == 4);
    // Steady load: the count holds and nothing was created twice.
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
        .until(() -> worker.creates.size() == 4 && dataPlane.instanceIds("busy").size() == 4);
    assertThat(worker.createdIds()).doesNotHaveDuplicates();
    assertThat(harness.scrapeMetrics())
        .contains("pulse_controlplane_autoscaler_desired{function=\"busy\"} 4.0")
        .contains("pulse_controlplane_instances{function=\"busy\",state=\"ready\"} 4.0");
  }

  @Test
  void scaleToZero_afterKeepAlive_deletesTheInstance() throws Exception {
    harness = new ControlPlaneHarness();
    FakeWorker worker = worker("w1");
    harness.join(worker);
    harness.create(spec("idle", 0, 1));
    RouteWatcher dataPlane = harness.watch("dp-1");
    harness.report("dp-1", load("idle", 1, 0, 1, 1));
    eventually().until(() -> dataPlane.instanceIds("idle").size() == 1);
    String instance = dataPlane.instanceIds("idle").get(0);

    // The data plane keeps reporting, with nothing for this function.
    harness.reportContinuously("dp-1", List::of);

    eventually().until(() -> dataPlane.instanceIds("idle").isEmpty());
    eventually().until(() -> worker.deletedIds().contains(instance));
    assertThat(worker.sandboxes).isEmpty();
    assertThat(dataPlane.functions).containsKey("idle");
  }

  @Test
  void drainedInstance_isDeletedOnlyOnceNoDataPlaneRunsRequestsOnIt() throws Exception {
    harness = new ControlPlaneHarness();
    FakeWorker worker = worker("w1");
    harness.join(worker);
    harness.create(spec("slow", 0, 1));
    RouteWatcher dataPlane = harness.watch("dp-1");
    harness.report("dp-1", load("slow", 1, 0, 1, 1));
    eventually().until(() -> dataPlane.instanceIds("slow").size() == 1);
    String instance = dataPlane.instanceIds("slow").get(0);

    // A request is still running on it when the keep-alive expires and the instance leaves routing.
    harness.reportInFlight("dp-2", "slow", instance, 1);
    eventually().until(() -> dataPlane.instanceIds("slow").isEmpty());
    // Well past the drain time (50 ms here), the sandbox is still there while the request runs.
    await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5))
        .until(() -> !worker.deletedIds().contains(instance));

    harness.reportInFlight("dp-2", "slow", instance, 0);

    eventually().until(() -> worker.deletedIds().contains(instance));
  }

  @Test
  void createFailure_isRetriedWithANewInstance() throws Exception {
    harness = new ControlPlaneHarness();
    FakeWorker worker = worker("w1");
    worker.failNextCreates.set(1);
    harness.join(worker);
    RouteWatcher dataPlane = harness.watch("dp-1");

    harness.create(spec("flaky", 1, 60));

    eventually().until(() -> dataPlane.instanceIds("flaky").size() == 1);
    assertThat(worker.creates).hasSize(2);
    assertThat(worker.createdIds()).doesNotHaveDuplicates();
    assertThat(dataPlane.instanceIds("flaky")).containsExactly(worker.createdIds().get(1));
    eventually().untilAsserted(() -> assertThat(harness.scrapeMetrics())
        .contains("pulse_controlplane_instance_creations_total{result=\"failure\"} 1.0")
        .contains("pulse_controlplane_instance_creations_total{result=\"success\"} 1.0")
        .contains("pulse_controlplane_instance_create_seconds_count 1"));
  }

  @Test
  void workerTimeout_instancesRecreatedOnAnotherWorker() throws Exception {
    harness = new ControlPlaneHarness();
    FakeWorker first = worker("w1");
    harness.join(first);
    RouteWatcher dataPlane = harness.watch("dp-1");
    harness.create(spec("survivor", 1, 60));
    eventually().until(() -> dataPlane.instanceIds("survivor").size() == 1);
    String lost = dataPlane.instanceIds("survivor").get(0);
    FakeWorker second = worker("w2");
    harness.join(second);
    eventually().until(() -> dataPlane.workers.size() == 2);

    harness.silence(first);

    eventually().until(() -> dataPlane.instances("survivor").size() == 1
        && dataPlane.instances("survivor").get(0).getWorkerId().equals("w2"));
    assertThat(dataPlane.instanceIds("survivor")).doesNotContain(lost);
    assertThat(dataPlane.workers).extracting(w -> w.getWorkerId()).containsExactly("w2");
    assertThat(harness.scrapeMetrics()).contains("pulse_controlplane_workers{state=\"dead\"} 1.0");
  }

  @Test
  void readySandboxListed_whileOwnCreationsPending_isAdopted_andTheExcessDrainedOnceReady() throws Exception {
    harness = new ControlPlaneHarness();
    FakeWorker slow = worker("w1");
    FakeWorker other = worker("w2");
    slow.holdCreates.set(true);
    other.holdCreates.set(true);
    harness.join(slow);
    harness.join(other);
    RouteWatcher dataPlane = harness.watch("dp-1");
    FunctionSpec base = ControlPlaneHarness.spec("bounded", 2, 60);
    harness.create(new FunctionSpec(base.name(), base.image(), base.command(), base.port(), base.env(),
        base.resources(), new FunctionSpec.Scaling(2, 2, 1, 60), base.timeoutSeconds()));
    eventually().until(() -> slow.holdCount() + other.holdCount() == 2);

    // A ready sandbox of the current revision that this control plane did not create (an earlier leader's, which
    // data planes may still route to) shows up while its own two creations are pending. Deleting it would fail
    // the requests routed to it; it is adopted, and the planner drains the excess once the creations are ready.
    String earlier = "bounded-1-earlier0";
    other.plant(earlier, "bounded", 1, InstanceKind.REGULAR);
    eventually().until(() -> dataPlane.instanceIds("bounded").contains(earlier));
    slow.releaseCreates();
    other.releaseCreates();

    eventually().untilAsserted(() -> {
      assertThat(dataPlane.instanceIds("bounded")).hasSize(2);
      assertThat(slow.sandboxes.keySet().size() + other.sandboxes.keySet().size())
          .as("sandboxes %s %s", slow.sandboxes.keySet(), other.sandboxes.keySet()).isEqualTo(2);
    });
    assertThat(dataPlane.instanceIds("bounded")).contains(earlier);
    assertThat(slow.deletedIds()).doesNotContain(earlier);
    assertThat(other.deletedIds()).doesNotContain(earlier);
  }

  @Test
  void heartbeatReconciliation_deletesUnknown_dropsMissing_adoptsCurrent() throws Exception {
    harness = new ControlPlaneHarness();
    FakeWorker worker = worker("w1");
    harness.join(worker);
    RouteWatcher dataPlane = harness.watch("dp-1");
    harness.create(spec("kept", 1, 60));
    harness.create(spec("adoptable", 0, 60));
    eventually().until(() -> dataPlane.instanceIds("kept").size() == 1);
    String original = dataPlane.instanceIds("kept").get(0);

    // Unknown function: deleted. Emergency sandbox: left alone. Current revision of a known function: adopted.
    worker.plant("ghost-1-aaaaaaaa", "ghost", 1, InstanceKind.REGULAR);
    worker.plant("kept-1-emergenc", "kept", 1, InstanceKind.EMERGENCY);
    worker.plant("adoptable-1-bbbbbbbb", "adoptable", 1, InstanceKind.REGULAR);
    eventually().until(() -> worker.deletedIds().contains("ghost-1-aaaaaaaa"));
    eventually().until(() -> dataPlane.instanceIds("adoptable").equals(List.of("adoptable-1-bbbbbbbb")));
    assertThat(worker.deletedIds()).doesNotContain("kept-1-emergenc", "adoptable-1-bbbbbbbb");
    assertThat(dataPlane.instanceIds("kept")).containsExactly(original);

    // The worker loses an instance (it crashed and was cleaned up): dropped from routing and replaced.
    worker.sandboxes.remove(original);
    eventually().until(() -> dataPlane.instanceIds("kept").size() == 1
        && !dataPlane.instanceIds("kept").contains(original));
  }

  @Test
  void heartbeatReconciliation_exitedInstance_isDroppedDeletedAndReplaced() throws Exception {
    harness = new ControlPlaneHarness();
    FakeWorker worker = worker("w1");
    harness.join(worker);
    RouteWatcher dataPlane = harness.watch("dp-1");
    harness.create(spec("crashy", 1, 60));
    eventually().until(() -> dataPlane.instanceIds("crashy").size() == 1);
    String crashed = dataPlane.instanceIds("crashy").get(0);

    worker.sandboxes.computeIfPresent(crashed,
        (id, info) -> info.toBuilder().setState(io.pulse.api.v1.SandboxState.EXITED).build());

    eventually().until(() -> worker.deletedIds().contains(crashed));
    eventually().until(() -> dataPlane.instanceIds("crashy").size() == 1
        && !dataPlane.instanceIds("crashy").contains(crashed));
  }

  @Test
  void functionUpdate_rollsInstancesToTheNewRevision() throws Exception {
    harness = new ControlPlaneHarness();
    FakeWorker worker = worker("w1");
    harness.join(worker);
    RouteWatcher dataPlane = harness.watch("dp-1");
    harness.create(spec("rolling", 2, 60));
    eventually().until(() -> dataPlane.instanceIds("rolling").size() == 2);
    List<String> old = dataPlane.instanceIds("rolling");

    FunctionSpec v2 = new FunctionSpec("rolling", null, List.of("fake-function", "--v2"), 0, Map.of(),
        new FunctionSpec.Resources(250, 128), new FunctionSpec.Scaling(2, 0, 1, 60), 30);
    harness.controlPlane.registry().update(v2).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);

    eventually().until(() -> {
      FunctionRoute route = dataPlane.functions.get("rolling");
      return route.getRevision() == 2 && route.getInstancesCount() == 2
          && route.getInstancesList().stream().allMatch(i -> i.getInstanceId().startsWith("rolling-2-"));
    });
    assertThat(dataPlane.functions.get("rolling").getSandbox().getCommandList()).contains("--v2");
    eventually().until(() -> worker.deletedIds().containsAll(old));
    assertThat(worker.creates.stream().filter(c -> c.getSpec().getRevision() == 2)).hasSize(2);
  }

  @Test
  void functionDelete_removesRoutesAndEveryInstance() throws Exception {
    harness = new ControlPlaneHarness();
    FakeWorker worker = worker("w1");
    harness.join(worker);
    RouteWatcher dataPlane = harness.watch("dp-1");
    harness.create(spec("doomed", 2, 60));
    eventually().until(() -> dataPlane.instanceIds("doomed").size() == 2);
    List<String> instances = dataPlane.instanceIds("doomed");

    harness.controlPlane.registry().delete("doomed").toCompletionStage().toCompletableFuture()
        .get(5, TimeUnit.SECONDS);

    eventually().until(() -> !dataPlane.functions.containsKey("doomed"));
    assertThat(dataPlane.updates.stream().anyMatch(u -> u.getRemovedFunctionsList().contains("doomed"))).isTrue();
    eventually().until(() -> worker.deletedIds().containsAll(instances));
    assertThat(worker.sandboxes).isEmpty();
  }

  @Test
  void close_deletesInstancesOnWorkers_andEndsRouteStreams() throws Exception {
    harness = new ControlPlaneHarness();
    FakeWorker worker = worker("w1");
    harness.join(worker);
    RouteWatcher dataPlane = harness.watch("dp-1");
    harness.create(spec("leftover", 2, 60));
    eventually().until(() -> dataPlane.instanceIds("leftover").size() == 2);

    harness.controlPlane.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertThat(worker.sandboxes).isEmpty();
    assertThat(worker.deletedIds()).containsExactlyInAnyOrderElementsOf(worker.createdIds());
    eventually().until(() -> dataPlane.completed);
    // Idempotent.
    assertThat(harness.controlPlane.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS))
        .isNull();
  }
}
