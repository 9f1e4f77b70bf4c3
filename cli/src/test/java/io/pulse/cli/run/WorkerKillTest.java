package io.pulse.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.pulse.api.v1.ListSandboxesRequest;
import io.pulse.api.v1.SandboxInfo;
import io.pulse.api.v1.WorkerServiceGrpc;
import io.pulse.common.grpc.GrpcChannels;
import io.pulse.common.net.HostPort;
import io.pulse.controlplane.ControlPlane;
import io.pulse.controlplane.ControlPlaneConfig;
import io.pulse.controlplane.security.ApiTokens;
import io.pulse.dataplane.DataPlane;
import io.pulse.dataplane.DataPlaneConfig;
import io.pulse.worker.ContainerdOptions;
import io.pulse.worker.WorkerConfig;
import io.pulse.worker.image.RegistryCredentials;
import io.pulse.worker.sandbox.Resources;
import io.pulse.worker.sandbox.SandboxKind;
import io.pulse.worker.sandbox.SandboxSpec;
import io.pulse.worker.sandbox.containerd.ContainerdClient;
import io.pulse.worker.sandbox.containerd.ContainerdSandboxRuntime;
import io.pulse.worker.sandbox.containerd.api.GetRequest;
import io.pulse.worker.sandbox.containerd.api.KillRequest;
import io.pulse.worker.sandbox.containerd.api.Status;
import io.pulse.worker.testing.ContainerdHarness;
import io.pulse.worker.testing.RegistryHarness;
import io.pulse.worker.testing.TestImages;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3's must-hold with real processes: the worker daemon runs as its own JVM on a private containerd (CNI bridge
 * networking, image only in a registry on 127.0.0.1) while a control plane and a data plane run in this JVM and
 * clients invoke a function with two Regular Instances in a closed loop. The worker is {@code kill -9}ed under that
 * load, two sandboxes the control plane never asked for are planted while it is dead, and it is started again with the
 * same id, ports and data directory.
 *
 * <p>What the design promises, and what is asserted: the data plane calls sandboxes directly, so invocations do not
 * need the worker and none fail while it is dead; the control plane declares a worker dead only after
 * {@code workerTimeoutMs} of silence (then it would drop and recreate its instances), and this test gives it 30 s,
 * far more than the restart takes, so the restarted worker re-registers as the same live worker, re-adopts both
 * instances (same ids, no creation), the planted orphans are removed (the one whose process died by the worker's own
 * recovery, the running one of an unknown function by the control plane's reconciliation of the listing), and
 * containerd holds exactly the two instances. Deleting the function then leaves no container, task, snapshot or CNI
 * address of ours.
 */
class WorkerKillTest {

  private static final String NAMESPACE = "pulse-wkill";
  private static final String SUBNET = "10.88.253.0/28";
  private static final String WORKER_ID = "w-kill";
  /** Far above the restart time, so the control plane keeps the worker (see the class comment). */
  private static final long WORKER_TIMEOUT_MS = 30_000;
  private static final int CLIENTS = 4;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** When an invocation ran, relative to the worker's death. */
  private enum Phase { BEFORE_KILL, WORKER_DOWN, AFTER_RESTART }

  /** Outcomes of the clients' invocations per phase. */
  private static final class Outcomes {
    final Map<Phase, AtomicLong> ok = new EnumMap<>(Phase.class);
    final Map<Phase, AtomicLong> failed = new EnumMap<>(Phase.class);
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

    Outcomes() {
      for (Phase phase : Phase.values()) {
        ok.put(phase, new AtomicLong());
        failed.put(phase, new AtomicLong());
      }
    }

    void record(Phase phase, @Nullable String failure) {
      if (failure == null) {
        ok.get(phase).incrementAndGet();
      } else {
        failed.get(phase).incrementAndGet();
        if (failures.size() < 20) {
          failures.add(phase + ": " + failure);
        }
      }
    }

    long ok(Phase phase) {
      return ok.get(phase).get();
    }

    @Override
    public String toString() {
      StringBuilder out = new StringBuilder();
      for (Phase phase : Phase.values()) {
        out.append(phase).append(" ok=").append(ok.get(phase)).append(" failed=").append(failed.get(phase))
            .append("; ");
      }
      return out.append("first failures: ").append(failures).toString();
    }
  }

  @TempDir static Path dir;
  static ContainerdHarness containerd;
  static RegistryHarness registry;
  static ContainerdClient inspector;
  static Components components;
  static ControlPlane controlPlane;
  static DataPlane dataPlane;
  static String token;
  static String image;
  static Path workerDir;
  static ContainerdLeftovers leftovers;
  static LeaderRest leader;

  @BeforeAll
  static void start() throws Exception {
    ContainerdHarness.assumeEndToEnd("worker kill test");
    containerd = ContainerdHarness.start();
    registry = RegistryHarness.start();
    image = TestImages.pushHttpd(registry.host(), "pulse/wkill-httpd", "v1");
    inspector = ContainerdClient.connect(containerd.socket(), NAMESPACE, 10_000);
    workerDir = Files.createDirectories(dir.resolve("worker"));
    leftovers = new ContainerdLeftovers(inspector, workerDir, NAMESPACE);
    components = Components.create();
    token = ApiTokens.generate();
    ControlPlaneConfig cp = ControlPlaneConfig.defaults()
        .withRestBind(new HostPort("127.0.0.1", 0))
        .withGrpcBind(new HostPort("127.0.0.1", 0))
        .withTickMs(500)
        .withDrainMs(200)
        .withWorkerTimeoutMs(WORKER_TIMEOUT_MS);
    controlPlane = ControlPlane.start(components.vertx(), cp.withSecurity(cp.security().withToken(token)),
        components.metrics(), components.readiness()).await();
    leader = new LeaderRest(controlPlane.restPort(), token);
    dataPlane = DataPlane.start(components.vertx(), DataPlaneConfig.defaults()
            .withHttpBind(new HostPort("127.0.0.1", 0))
            .withDomain("fn.localhost")
            .withControlPlane(List.of(new HostPort("127.0.0.1", controlPlane.grpcPort()))),
        components.metrics(), components.readiness()).await();
    await("control plane and data plane ready").atMost(Duration.ofSeconds(30))
        .until(() -> components.readiness().notReadyReasons().isEmpty());
  }

  @AfterAll
  static void stop() {
    // As AllInOne: gateway first, then the control plane (deletes its instances through the worker, if one runs).
    if (dataPlane != null) {
      awaitQuietly(dataPlane.close());
    }
    if (controlPlane != null) {
      awaitQuietly(controlPlane.close());
    }
    if (components != null) {
      awaitQuietly(components.vertx().close());
    }
    if (inspector != null) {
      inspector.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (containerd != null) {
      containerd.close(); // also kills shims and removes the bridge and nat rule of our namespace
    }
  }

  @Test
  void killMinus9UnderLoad_thenRestart_readoptsTheInstances_removesOrphans_andInvocationsGoOn() throws Exception {
    int grpcPort = WorkerProcess.freePort();
    int adminPort = WorkerProcess.freePort();
    Path log = dir.resolve("worker.log");
    List<String> args = List.of("--runtime", "containerd", "--bind", "127.0.0.1",
        "--grpc-port", Integer.toString(grpcPort), "--advertise-host", "127.0.0.1",
        "--control-plane", "127.0.0.1:" + controlPlane.grpcPort(),
        "--containerd-socket", containerd.socket().toString(), "--containerd-namespace", NAMESPACE,
        "--insecure-registry", registry.host(), "--network", "cni", "--cni-subnet", SUBNET,
        "--id", WORKER_ID, "--data-dir", workerDir.toString(), "--cpu-millis", "2000", "--memory-mib", "2048");
    WorkerProcess worker = WorkerProcess.start(args, adminPort, log);
    Outcomes outcomes = new Outcomes();
    List<Thread> clients = new ArrayList<>();
    ContainerdSandboxRuntime planter = null;
    AtomicReference<Phase> phase = new AtomicReference<>(Phase.BEFORE_KILL);
    AtomicBoolean running = new AtomicBoolean(true);
    try {
      worker.awaitRegistered(Duration.ofSeconds(60));

      // Exactly two Regular Instances (KPA: no Emergency Instances, no scaling beyond maxScale).
      JsonObject spec = new JsonObject().put("name", "web").put("image", image).put("port", 8080)
          .put("resources", new JsonObject().put("memoryMiB", 64).put("cpuMillis", 250))
          .put("scaling", new JsonObject().put("policy", "kpa").put("minScale", 2).put("maxScale", 2));
      HttpResponse<String> deployed = leader.api("POST", "/v1/functions", spec.encode());
      assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
      await("two ready instances").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
          .until(() -> leader.readyInstances("web").size() == 2);
      Set<String> instances = leader.readyInstances("web");
      assertThat(leftovers.containerIds()).as("containers of the two instances").isEqualTo(instances);

      for (int i = 0; i < CLIENTS; i++) {
        clients.add(Thread.ofVirtual().name("client-" + i).start(() -> {
          while (running.get()) {
            Phase now = phase.get();
            outcomes.record(now, invokeOnce());
            try {
              Thread.sleep(10); // think time: a closed loop, not a flood on a shared 2-core machine
            } catch (InterruptedException e) {
              return;
            }
          }
        }));
      }
      await("invocations before the kill").atMost(Duration.ofSeconds(30))
          .until(() -> outcomes.ok(Phase.BEFORE_KILL) >= 50);

      // kill -9 under load.
      phase.set(Phase.WORKER_DOWN);
      long killedAt = System.nanoTime();
      worker.kill();
      assertThat(worker.isAlive()).isFalse();

      // While it is dead, two sandboxes appear that the control plane never asked for, as a creation the dead daemon
      // had under way would leave them: one running (of a function nobody registered), one whose process died.
      planter = new ContainerdSandboxRuntime(options().settings(WorkerConfig.defaults().withDataDir(workerDir)));
      SandboxSpec ghost = new SandboxSpec("ghost", 1, image, List.of(), 8080, Map.of(), new Resources(100, 32), 0);
      planter.create("ghost-running", SandboxKind.REGULAR, ghost).toCompletableFuture().get(60, TimeUnit.SECONDS);
      planter.create("ghost-dead", SandboxKind.REGULAR, ghost).toCompletableFuture().get(60, TimeUnit.SECONDS);
      inspector.tasks().kill(KillRequest.newBuilder().setContainerId("ghost-dead").setSignal(9).setAll(true).build());
      await("planted task stopped").atMost(Duration.ofSeconds(20)).until(() -> inspector.tasks()
          .get(GetRequest.newBuilder().setContainerId("ghost-dead").build()).getProcess().getStatus()
          == Status.STOPPED);
      assertThat(leftovers.containerIds()).hasSize(4);
      assertThat(leftovers.ipamHolders()).as("addresses: two instances, two planted").hasSize(4);

      long okBeforeRestart = outcomes.ok(Phase.WORKER_DOWN);
      await("invocations while the worker is dead").atMost(Duration.ofSeconds(30))
          .until(() -> outcomes.ok(Phase.WORKER_DOWN) >= okBeforeRestart + 20);
      assertThat(workerState()).as("within workerTimeoutMs the control plane still counts the worker alive")
          .isEqualTo("alive");

      // Restart: same id, ports and data directory.
      long restartedAt = System.nanoTime();
      worker = WorkerProcess.start(args, adminPort, log);
      worker.awaitRegistered(Duration.ofSeconds(60));
      long registeredAt = System.nanoTime();
      phase.set(Phase.AFTER_RESTART);
      System.out.printf("worker dead for %d ms; restart to registered %d ms%n",
          (restartedAt - killedAt) / 1_000_000, (registeredAt - restartedAt) / 1_000_000);
      // Its recovery took over the two instances and the running orphan (the dead one it removed by itself).
      assertThat(worker.log().lines().filter(l -> l.contains("containerd runtime recovered")).toList())
          .as("recoveries logged").hasSize(2).last().asString().containsPattern("adopted=\"?3(\\s|\"|$)");

      WorkerProcess restarted = worker;
      await("orphans removed, instances re-adopted").atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .failFast("worker process exited", () -> !restarted.isAlive())
          .untilAsserted(() -> {
            assertThat(leftovers.containerIds()).as("containers").isEqualTo(instances);
            assertThat(leftovers.taskIds()).as("tasks").isEqualTo(instances);
            assertThat(leftovers.activeSnapshots()).as("sandbox snapshots").isEqualTo(instances);
            assertThat(leftovers.ipamHolders()).as("CNI addresses").hasSize(2);
            assertThat(workerSandboxes(grpcPort)).as("what the restarted worker reports").isEqualTo(instances);
          });
      assertThat(leader.readyInstances("web")).as("the control plane's instances: the same ids, no replacement")
          .isEqualTo(instances);
      assertThat(leader.successfulCreations()).as("instance creations over the whole run").isEqualTo(2);
      assertThat(workerState()).isEqualTo("alive");
      long okAtRestart = outcomes.ok(Phase.AFTER_RESTART);
      await("invocations after the restart").atMost(Duration.ofSeconds(30))
          .until(() -> outcomes.ok(Phase.AFTER_RESTART) >= okAtRestart + 50);

      running.set(false);
      for (Thread client : clients) {
        client.join(Duration.ofSeconds(30));
      }
      System.out.println("invocations: " + outcomes);
      for (Phase p : Phase.values()) {
        assertThat(outcomes.failed.get(p).get()).as("failed invocations (%s)", outcomes).isZero();
      }

      // Delete the function: nothing of ours is left.
      HttpResponse<String> deleted = leader.api("DELETE", "/v1/functions/web", "");
      assertThat(deleted.statusCode()).as(deleted.body()).isBetween(200, 204);
      await("nothing left").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
          .untilAsserted(() -> {
            assertThat(leftovers.containerIds()).as("containers").isEmpty();
            assertThat(leftovers.taskIds()).as("tasks").isEmpty();
            assertThat(leftovers.activeSnapshots()).as("sandbox snapshots").isEmpty();
            assertThat(leftovers.ipamHolders()).as("CNI addresses").isEmpty();
            assertThat(workerSandboxes(grpcPort)).as("the worker's sandboxes").isEmpty();
          });
    } catch (AssertionError | RuntimeException e) {
      System.out.println("worker log:\n" + worker.log());
      throw e;
    } finally {
      running.set(false);
      clients.forEach(Thread::interrupt);
      if (planter != null) {
        // Its sandboxes are gone (asserted above, or left to the harness when the test failed); this only lets go.
        planter.close().toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
      worker.close();
    }
    // SIGTERM runs the JVM's shutdown hooks (the daemon's orderly close) and exits with 128 + 15.
    assertThat(worker.exitValue()).as("the worker's exit status on SIGTERM").isEqualTo(143);
    assertThat(worker.log()).as("the restarted worker closed in order").contains("worker daemon stopped");
  }

  private static ContainerdOptions options() {
    return new ContainerdOptions(containerd.socket(), NAMESPACE, "cni", Set.of(registry.host()),
        Path.of("/usr/lib/cni"), false, RegistryCredentials.NONE).withCni(SUBNET, true);
  }

  /** One invocation through the gateway: null when it answered 200 with the page, else what went wrong. */
  private static @Nullable String invokeOnce() {
    try {
      HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + dataPlane.httpPort() + "/fn/web/")).timeout(Duration.ofSeconds(10)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() == 200 && answer.body().equals(TestImages.PAGE)) {
        return null;
      }
      return answer.statusCode() + " " + answer.body().strip();
    } catch (IOException e) {
      return e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static String workerState() throws Exception {
    HttpResponse<String> answer = leader.api("GET", "/v1/workers", "");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return new JsonObject(answer.body()).getJsonArray("workers").stream().map(JsonObject.class::cast)
        .filter(w -> WORKER_ID.equals(w.getString("id"))).map(w -> w.getString("state")).findFirst()
        .orElse("unknown");
  }

  /** What the worker process itself lists over its WorkerService. */
  private static Set<String> workerSandboxes(int grpcPort) {
    ManagedChannel channel = GrpcChannels.plaintext("127.0.0.1:" + grpcPort);
    try {
      return new TreeSet<>(WorkerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
          .listSandboxes(ListSandboxesRequest.getDefaultInstance()).getSandboxesList().stream()
          .map(SandboxInfo::getInstanceId).toList());
    } finally {
      GrpcChannels.close(channel);
    }
  }


  private static void awaitQuietly(Future<Void> future) {
    try {
      future.await(30, TimeUnit.SECONDS);
    } catch (RuntimeException | TimeoutException e) {
      System.out.println("shutdown step failed: " + e);
    }
  }
}
