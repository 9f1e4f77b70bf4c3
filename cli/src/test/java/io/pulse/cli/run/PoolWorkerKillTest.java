package io.pulse.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.common.net.HostPort;
import io.pulse.controlplane.ControlPlane;
import io.pulse.controlplane.ControlPlaneConfig;
import io.pulse.controlplane.security.ApiTokens;
import io.pulse.worker.sandbox.containerd.ContainerdClient;
import io.pulse.worker.sandbox.containerd.api.ListContainersRequest;
import io.pulse.worker.testing.ContainerdHarness;
import io.pulse.worker.testing.ContainerdRig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sandbox pools with real processes (issue 13): a containerd worker JVM holding pool members (created, not started:
 * container, task, snapshot and CNI address each) and one Regular Instance is {@code kill -9}ed and started again. The
 * restarted worker re-adopts the instance (same id, no new creation), removes the members the dead run left, and fills
 * the pool again from the target the leader gives it when it registers: containerd then holds exactly the instance
 * and the new members, and host-local exactly their addresses. Deleting the function drains its pools at once (the
 * leader tells the worker), so nothing of ours is left.
 */
class PoolWorkerKillTest {

  private static final String NAMESPACE = "pa7-kill";
  private static final String SUBNET = "10.88.208.0/25";
  private static final String WORKER_ID = "w-pool-kill";
  private static final String MEMBER_LABEL = "io.pulse.pool-member";

  @TempDir static Path dir;
  static ContainerdRig rig;
  static ContainerdClient inspector;
  static Components components;
  static ControlPlane controlPlane;
  static String token;
  static String image;
  static Path workerDir;
  static ContainerdLeftovers leftovers;
  static LeaderRest leader;

  @BeforeAll
  static void start() throws Exception {
    ContainerdHarness.assumeEndToEnd("pool worker kill test");
    rig = ContainerdRig.start();
    image = rig.image();
    inspector = ContainerdClient.connect(rig.containerd().socket(), NAMESPACE, 10_000);
    workerDir = Files.createDirectories(dir.resolve("worker"));
    leftovers = new ContainerdLeftovers(inspector, workerDir, NAMESPACE);
    components = Components.create();
    token = ApiTokens.generate();
    ControlPlaneConfig cp = ControlPlaneConfig.defaults()
        .withRestBind(new HostPort("127.0.0.1", 0))
        .withGrpcBind(new HostPort("127.0.0.1", 0))
        .withTickMs(500)
        .withDrainMs(200)
        // Far above the restart: the leader keeps the worker, and with it the instance.
        .withWorkerTimeoutMs(30_000);
    controlPlane = ControlPlane.start(components.vertx(), cp.withSecurity(cp.security().withToken(token)),
        components.metrics(), components.readiness()).await();
    leader = new LeaderRest(controlPlane.restPort(), token);
  }

  @AfterAll
  static void stop() throws Exception {
    if (controlPlane != null) {
      controlPlane.close().await(30, TimeUnit.SECONDS);
    }
    if (components != null) {
      components.vertx().close().await(30, TimeUnit.SECONDS);
    }
    if (inspector != null) {
      inspector.close();
    }
    if (rig != null) {
      rig.close(); // also kills shims and removes the bridge of our namespace
    }
  }

  @Test
  void killMinus9WithPoolMembers_thenRestart_removesThemAndRefills_readoptsTheInstance_andNothingLeaks()
      throws Exception {
    int grpcPort = WorkerProcess.freePort();
    int adminPort = WorkerProcess.freePort();
    Path log = dir.resolve("worker.log");
    List<String> args = List.of("--runtime", "containerd", "--bind", "127.0.0.1",
        "--grpc-port", Integer.toString(grpcPort), "--advertise-host", "127.0.0.1",
        "--control-plane", "127.0.0.1:" + controlPlane.grpcPort(),
        "--containerd-socket", rig.containerd().socket().toString(), "--containerd-namespace", NAMESPACE,
        "--insecure-registry", rig.registry().host(), "--network", "cni", "--cni-subnet", SUBNET, "--cni-ip-masq", "false",
        "--id", WORKER_ID, "--data-dir", workerDir.toString(), "--cpu-millis", "2000", "--memory-mib", "2048",
        "--pool-members", "3", "--pool-memory-mib", "256");
    WorkerProcess worker = WorkerProcess.start(args, adminPort, log);
    try {
      worker.awaitRegistered(Duration.ofSeconds(60));
      JsonObject spec = new JsonObject().put("name", "web").put("image", image).put("port", 8080)
          .put("resources", new JsonObject().put("memoryMiB", 64).put("cpuMillis", 250))
          .put("scaling", new JsonObject().put("policy", "kpa").put("minScale", 1).put("maxScale", 1)
              .put("prewarm", 2));
      HttpResponse<String> deployed = leader.api("POST", "/v1/functions", spec.encode());
      assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
      await("one ready instance and two ready members").atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> leader.readyInstances("web").size() == 1 && members().size() == 2
              && readyMembersReported() == 2);
      Set<String> instances = leader.readyInstances("web");
      Set<String> killedMembers = members();
      Set<String> before = leftovers.containerIds();
      assertThat(before).as("the instance's container and two members").hasSize(3);
      assertThat(leftovers.taskIds()).isEqualTo(before);
      assertThat(leftovers.activeSnapshots()).isEqualTo(before);
      assertThat(leftovers.ipamHolders()).hasSize(3);

      worker.kill();
      assertThat(leftovers.containerIds()).as("kill -9 removes nothing").isEqualTo(before);

      worker = WorkerProcess.start(args, adminPort, log);
      worker.awaitRegistered(Duration.ofSeconds(60));
      WorkerProcess restarted = worker;
      await("old members removed, the pool refilled, the instance kept").atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(250))
          .failFast("worker process exited", () -> !restarted.isAlive())
          .untilAsserted(() -> {
            Set<String> members = members();
            assertThat(members).as("members").hasSize(2).doesNotContainAnyElementsOf(killedMembers);
            Set<String> containers = leftovers.containerIds();
            assertThat(containers).as("containers: the instance's and the new members")
                .hasSize(3).containsAll(members).doesNotContainAnyElementsOf(killedMembers);
            assertThat(leftovers.taskIds()).as("tasks").isEqualTo(containers);
            assertThat(leftovers.activeSnapshots()).as("sandbox snapshots").isEqualTo(containers);
            assertThat(leftovers.ipamHolders()).as("CNI addresses").hasSize(3);
          });
      assertThat(leader.readyInstances("web")).as("the same instance, re-adopted").isEqualTo(instances);
      assertThat(leader.successfulCreations()).as("instance creations over the whole run").isEqualTo(1);

      HttpResponse<String> deleted = leader.api("DELETE", "/v1/functions/web", "");
      assertThat(deleted.statusCode()).as(deleted.body()).isBetween(200, 204);
      await("nothing left: the delete drained the pool").atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(250))
          .untilAsserted(leftovers::assertNothingLeft);
    } catch (AssertionError | RuntimeException e) {
      System.out.println("worker log:\n" + worker.log());
      throw e;
    } finally {
      worker.close();
    }
  }

  /** Pool members (not started, still labelled as members) in containerd. */
  private static Set<String> members() {
    Set<String> ids = new TreeSet<>();
    inspector.containers().list(ListContainersRequest.getDefaultInstance()).getContainersList().stream()
        .filter(c -> c.getLabelsMap().containsKey(MEMBER_LABEL)).forEach(c -> ids.add(c.getId()));
    return ids;
  }

  /** Ready members the worker's heartbeats report, as the function's status shows them. */
  private static int readyMembersReported() throws Exception {
    HttpResponse<String> answer = leader.api("GET", "/v1/functions/web", "");
    if (answer.statusCode() != 200) {
      return -1;
    }
    JsonArray pools = new JsonObject(answer.body()).getJsonObject("status").getJsonArray("pools");
    return pools.stream().map(JsonObject.class::cast).mapToInt(p -> p.getInteger("ready")).sum();
  }
}
