package io.pulse.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pulse.api.v1.HeartbeatRequest;
import io.pulse.controlplane.registry.FunctionSpec;
import io.pulse.api.v1.RegisterWorkerRequest;
import io.pulse.api.v1.RegisterWorkerResponse;
import io.pulse.api.v1.WorkerDescriptor;
import io.pulse.controlplane.ControlPlaneHarness.RouteWatcher;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Start-up, the shared HTTP port, the gRPC edge's validation and the first route snapshot. */
class ControlPlaneTest {

  private ControlPlaneHarness harness;
  private FakeWorker worker;

  @AfterEach
  void tearDown() throws Exception {
    if (harness != null) {
      harness.close();
    }
    if (worker != null) {
      worker.close();
    }
  }

  @Test
  void start_bindsBothPorts_andServesAdminEndpointsOnTheRestPort() throws Exception {
    harness = new ControlPlaneHarness();

    assertThat(harness.controlPlane.restPort()).isPositive();
    assertThat(harness.controlPlane.grpcPort()).isPositive();
    assertThat(harness.readiness.notReadyReasons()).isEmpty();
    assertThat(harness.get("/readyz").statusCode()).isEqualTo(200);
    assertThat(harness.get("/healthz").statusCode()).isEqualTo(200);
    assertThat(harness.scrapeMetrics()).contains("pulse_controlplane_functions 0.0",
        "pulse_controlplane_workers{state=\"alive\"} 0.0");
  }

  @Test
  void close_marksNotReady_andFreesTheMetricNames() throws Exception {
    harness = new ControlPlaneHarness();
    harness.controlPlane.close().toCompletionStage().toCompletableFuture().get();

    assertThat(harness.readiness.notReadyReasons()).containsExactly("control-plane: stopped");
    assertThat(harness.metrics.scrape().stream().map(m -> m.getMetadata().getName()))
        .noneMatch(name -> name.startsWith("pulse_controlplane"));
  }

  @Test
  void registerWorker_answersEpochAndHeartbeatInterval_andHeartbeatKnowsIt() throws Exception {
    harness = new ControlPlaneHarness();
    worker = new FakeWorker("w1", 1000, 1024);

    RegisterWorkerResponse response = harness.register(worker);

    assertThat(response.getEpoch()).isEqualTo(harness.controlPlane.epoch());
    assertThat(response.getHeartbeatIntervalMs()).isEqualTo(100);
    assertThat(harness.stub.heartbeat(HeartbeatRequest.newBuilder().setWorkerId("w1").build()).getRegistered())
        .isTrue();
    assertThat(harness.stub.heartbeat(HeartbeatRequest.newBuilder().setWorkerId("stranger").build())
        .getRegistered()).isFalse();
  }

  @Test
  void heartbeat_pools_showInTheFunctionsStatusPerWorker_withTheLastError() throws Exception {
    harness = new ControlPlaneHarness();
    worker = new FakeWorker("w1", 1000, 1024);
    harness.join(worker);
    harness.create(ControlPlaneHarness.spec("pooled", 0, 60));

    worker.pools.add(io.pulse.api.v1.PoolReport.newBuilder().setFunction("pooled").setRevision(1).setTarget(2)
        .setFailures(3).setLastError("image busybox:nope: not found").build());

    JsonArray pools = await().atMost(Duration.ofSeconds(10)).until(() -> new JsonObject(
        harness.get("/v1/functions/pooled").body()).getJsonObject("status").getJsonArray("pools"),
        p -> p != null && p.size() == 1);
    JsonObject pool = pools.getJsonObject(0);
    assertThat(pool.getString("workerId")).isEqualTo("w1");
    assertThat(pool.getLong("revision")).isEqualTo(1);
    assertThat(pool.getInteger("target")).isEqualTo(2);
    assertThat(pool.getInteger("ready")).isZero();
    assertThat(pool.getInteger("failures")).isEqualTo(3);
    assertThat(pool.getString("lastError")).isEqualTo("image busybox:nope: not found");

    worker.pools.clear();
    await().atMost(Duration.ofSeconds(10)).until(() -> new JsonObject(harness.get("/v1/functions/pooled").body())
        .getJsonObject("status").getJsonArray("pools").isEmpty());
  }

  @Test
  void heartbeat_poolMembers_countAsMemoryHeldInTheAccounting_notAsInstances() throws Exception {
    harness = new ControlPlaneHarness();
    worker = new FakeWorker("w1", 1000, 1024);
    harness.join(worker);
    harness.create(ControlPlaneHarness.spec("pooled", 0, 60));

    worker.pools.add(io.pulse.api.v1.PoolReport.newBuilder().setFunction("pooled").setRevision(1).setTarget(2)
        .setReady(1).setCreating(1).build());

    JsonObject pooled = await().atMost(Duration.ofSeconds(10)).until(() -> new JsonObject(
        harness.get("/v1/accounting").body()).getJsonObject("functions").getJsonObject("pooled"),
        f -> f != null && f.getJsonObject("byKind").getJsonObject("pool").getDouble("memoryHeldMiBSeconds") > 0);
    JsonObject pool = pooled.getJsonObject("byKind").getJsonObject("pool");
    assertThat(pool.getInteger("liveInstances")).isEqualTo(2);
    assertThat(pool.getDouble("memoryBusyMiBSeconds")).isZero();
    assertThat(pooled.getDouble("memoryHeldMiBSeconds")).isGreaterThanOrEqualTo(pool.getDouble("memoryHeldMiBSeconds"));
    assertThat(pooled.getInteger("liveInstances")).isZero();
  }

  @Test
  void heartbeat_readyPoolMembersOfTheCurrentRevision_reachTheDataPlanesRoute() throws Exception {
    harness = new ControlPlaneHarness();
    worker = new FakeWorker("w1", 1000, 1024);
    harness.join(worker);
    harness.create(ControlPlaneHarness.spec("pooled", 0, 60));
    ControlPlaneHarness.RouteWatcher watcher = harness.watch("dp-1");

    // An older revision's members are no use to a creation of the current one: left out.
    worker.pools.add(io.pulse.api.v1.PoolReport.newBuilder().setFunction("pooled").setRevision(0).setTarget(1)
        .setReady(1).build());
    worker.pools.add(io.pulse.api.v1.PoolReport.newBuilder().setFunction("pooled").setRevision(1).setTarget(2)
        .setReady(2).build());

    await().atMost(Duration.ofSeconds(10)).until(() -> watcher.updates.stream()
        .flatMap(u -> u.getFunctionsList().stream()).filter(f -> f.getName().equals("pooled"))
        .anyMatch(f -> f.getReadyPoolMembersMap().equals(java.util.Map.of("w1", 2))));
  }

  @Test
  void functionWithPrewarm_sendsItsPoolTargetToContainerdWorkers_aheadOfAnyCreation_fencedByEpoch() throws Exception {
    harness = new ControlPlaneHarness();
    worker = new FakeWorker("w1", 1000, 1024);
    worker.runtime = "containerd";
    harness.join(worker);
    FunctionSpec base = ControlPlaneHarness.spec("warm", 0, 60);
    harness.create(new FunctionSpec(base.name(), base.image(), base.command(), base.port(), base.env(),
        base.resources(), new FunctionSpec.Scaling(0, 0, 1, 60, null, 0, 2), base.timeoutSeconds()));

    await().atMost(Duration.ofSeconds(10)).until(() -> !worker.poolTargets.isEmpty());
    io.pulse.api.v1.SetPoolTargetRequest sent = worker.poolTargets.getFirst();
    assertThat(sent.getSpec().getFunction()).isEqualTo("warm");
    assertThat(sent.getSpec().getRevision()).isEqualTo(1);
    assertThat(sent.getSpec().getPrewarm()).isEqualTo(2);
    assertThat(sent.getEpoch()).isEqualTo(harness.controlPlane.epoch());
    assertThat(worker.creates).as("minScale 0: told before any creation").isEmpty();
  }

  @Test
  void automaticPrewarm_creationsSetAPoolTargetOnPoolingWorkers_andADeleteDrainsIt() throws Exception {
    harness = new ControlPlaneHarness();
    worker = new FakeWorker("w1", 1000, 1024);
    worker.runtime = "containerd";
    worker.poolMembers = 4;
    harness.join(worker);
    FunctionSpec base = ControlPlaneHarness.spec("auto", 1, 60);
    harness.create(new FunctionSpec(base.name(), base.image(), base.command(), base.port(), base.env(),
        new FunctionSpec.Resources(250, 64), new FunctionSpec.Scaling(2, 0, 1, 60, null, 0, 0, true),
        base.timeoutSeconds()));

    // minScale 2: the leader creates two Regular Instances, creations of the function on the standard track (one
    // alone would size no pool: a function that only woke).
    await().atMost(Duration.ofSeconds(10)).until(() -> worker.poolTargets.stream()
        .anyMatch(t -> t.getSpec().getFunction().equals("auto") && t.getSpec().getPrewarm() > 0));
    io.pulse.api.v1.SetPoolTargetRequest sized = worker.poolTargets.getFirst();
    assertThat(sized.getSpec().getPrewarm()).as("two creations in 10 s: one member").isEqualTo(1);
    assertThat(sized.getEpoch()).isEqualTo(harness.controlPlane.epoch());
    assertThat(worker.creates).hasSize(2);
    assertThat(worker.creates.getFirst().getSpec().getPrewarm()).as("a creation says nothing of the target")
        .isZero();

    harness.controlPlane.registry().delete("auto").toCompletionStage().toCompletableFuture()
        .get(5, java.util.concurrent.TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(10)).until(() -> worker.poolTargets.getLast().getSpec().getPrewarm() == 0);
    assertThat(worker.poolTargets.getLast().getSpec().getFunction()).isEqualTo("auto");
  }

  @Test
  void registerWorker_badDescriptor_isInvalidArgumentNamingTheField() throws Exception {
    harness = new ControlPlaneHarness();

    StatusRuntimeException error = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
        () -> harness.stub.registerWorker(RegisterWorkerRequest.newBuilder()
            .setWorker(WorkerDescriptor.newBuilder().setAddress("127.0.0.1:1")).build()));

    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(error.getStatus().getDescription()).contains("worker.capacity");
  }

  @Test
  void watchRoutes_firstMessageIsAFullSnapshotWithFunctionsAndLiveWorkers() throws Exception {
    harness = new ControlPlaneHarness();
    worker = new FakeWorker("w1", 1000, 1024);
    harness.join(worker);
    harness.create(ControlPlaneHarness.spec("listed", 0, 60));
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(harness.scrapeMetrics())
        .contains("pulse_controlplane_functions 1.0"));

    RouteWatcher dataPlane = harness.watch("dp-1");

    await().atMost(Duration.ofSeconds(5)).until(() -> !dataPlane.updates.isEmpty());
    var first = dataPlane.updates.get(0);
    assertThat(first.getFullSnapshot()).isTrue();
    assertThat(first.getWorkersChanged()).isTrue();
    assertThat(first.getWorkersList()).extracting(WorkerDescriptor::getWorkerId).containsExactly("w1");
    var route = first.getFunctionsList().get(0);
    assertThat(route.getName()).isEqualTo("listed");
    assertThat(route.getRevision()).isEqualTo(1);
    assertThat(route.getTargetConcurrency()).isEqualTo(1);
    assertThat(route.getTimeoutSeconds()).isEqualTo(30);
    assertThat(route.getSandbox().getFunction()).isEqualTo("listed");
    assertThat(route.getSandbox().getResources().getMemoryMib()).isEqualTo(128);
  }

  @Test
  void restApi_readsInstancesWorkersAndClusterFromTheSchedulingCore() throws Exception {
    harness = new ControlPlaneHarness();
    worker = new FakeWorker("w1", 1000, 1024);
    harness.join(worker);
    harness.create(ControlPlaneHarness.spec("viewed", 1, 60));

    await().atMost(Duration.ofSeconds(5)).until(() -> {
      JsonArray instances = new JsonObject(harness.get("/v1/functions/viewed/instances").body())
          .getJsonArray("instances");
      return instances.size() == 1 && instances.getJsonObject(0).getString("state").equals("ready");
    });
    JsonObject instance = new JsonObject(harness.get("/v1/functions/viewed/instances").body())
        .getJsonArray("instances").getJsonObject(0);
    assertThat(instance.getString("id")).startsWith("viewed-1-");
    assertThat(instance.getString("kind")).isEqualTo("regular");
    assertThat(instance.getString("workerId")).isEqualTo("w1");
    assertThat(instance.getString("endpoint")).startsWith("127.0.0.1:");
    assertThat(instance.getDouble("creationMillis")).isNotNull();

    JsonObject workerView = new JsonObject(harness.get("/v1/workers").body()).getJsonArray("workers")
        .getJsonObject(0);
    assertThat(workerView.getString("state")).isEqualTo("alive");
    assertThat(workerView.getInteger("allocatedCpuMillis")).isEqualTo(250);
    assertThat(workerView.getInteger("instances")).isEqualTo(1);

    JsonObject cluster = new JsonObject(harness.get("/v1/cluster").body());
    assertThat(cluster.getString("replicaId")).isEqualTo("cp-1");
    assertThat(cluster.getString("leader")).isEqualTo("cp-1");
    assertThat(cluster.getLong("epoch")).isEqualTo(harness.controlPlane.epoch());
  }

  @Test
  void watchRoutes_emptyDataPlaneId_isRejected() throws Exception {
    harness = new ControlPlaneHarness();
    RouteWatcher watcher = harness.watch("");

    await().atMost(Duration.ofSeconds(5)).until(() -> watcher.error != null);
    assertThat(Status.fromThrowable(watcher.error).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }
}
