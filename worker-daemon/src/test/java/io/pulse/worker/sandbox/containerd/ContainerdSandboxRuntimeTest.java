package io.pulse.worker.sandbox.containerd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pulse.worker.sandbox.CreatedSandbox;
import io.pulse.worker.sandbox.Resources;
import io.pulse.worker.sandbox.Sandbox;
import io.pulse.worker.sandbox.SandboxException;
import io.pulse.worker.sandbox.SandboxExit;
import io.pulse.worker.sandbox.SandboxKind;
import io.pulse.worker.sandbox.SandboxSpec;
import io.pulse.worker.sandbox.SandboxState;
import io.pulse.worker.sandbox.containerd.api.Kind;
import io.pulse.worker.sandbox.containerd.api.ListContainersRequest;
import io.pulse.worker.sandbox.containerd.api.ListSnapshotsRequest;
import io.pulse.worker.sandbox.containerd.api.ListTasksRequest;
import io.pulse.worker.sandbox.logs.LogLine;
import io.pulse.worker.sandbox.logs.LogQuery;
import io.pulse.worker.testing.ContainerdHarness;
import io.pulse.worker.testing.ContainerdRig;
import io.pulse.worker.testing.Processes;
import io.pulse.worker.testing.RegistryHarness;
import io.pulse.worker.testing.TestImages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import io.pulse.worker.sandbox.SecretFile;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The containerd runtime against a real private containerd, runc and a local registry. */
class ContainerdSandboxRuntimeTest {

  private static ContainerdRig rig;
  private static ContainerdHarness containerd;
  private static RegistryHarness registry;
  private static String image;
  private static ContainerdClient inspector;

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

  private ContainerdSettings settings(String network) {
    return ContainerdSettings.defaults(containerd.socket(), dataDir)
        .withInsecureRegistries(Set.of(registry.host()))
        .withNetwork(network)
        .withPortRange(31000, 31999)
        .withStopGraceMs(500)
        .withDefaultReadinessTimeoutMs(20_000)
        // On this test's disk: the runtime mounts a tmpfs of its own there (unmounted after each test).
        .withSecretsDir(dataDir.resolve("secrets"));
  }

  @AfterEach
  void unmountSecrets() {
    ContainerdHarness.unmountUnder(dataDir);
  }

  private static final String DB_PASSWORD = "db-pa55word-\u00e9-42";
  private static final String API_KEY = "api-key-value-17";

  private static List<SecretFile> secrets() {
    return List.of(new SecretFile("db", DB_PASSWORD.getBytes(StandardCharsets.UTF_8), null),
        new SecretFile("api-key", API_KEY.getBytes(StandardCharsets.UTF_8), "API_KEY"));
  }

  /** Serves what it found: the secret file, the env variable, and whether writing to the mount worked. */
  private static SandboxSpec secretReader(String function) {
    return new SandboxSpec(function, 1, image, List.of("/bin/sh", "-c", String.join("; ",
        "cat /var/run/secrets/pulse/db > /www/db",
        "echo \"$API_KEY\" > /www/env",
        "echo \"$PULSE_SECRETS_DIR\" > /www/dir",
        "if (echo x > /var/run/secrets/pulse/db) 2>/dev/null; then echo writable; else echo read-only; fi > /www/write",
        "if (echo x > /var/run/secrets/pulse/new) 2>/dev/null; then echo writable; else echo read-only; fi"
            + " > /www/create",
        "exec httpd -f -p ${PORT} -h /www")), 0, Map.of(), new Resources(250, 64), 0).withSecrets(secrets());
  }

  private Path secretsOf(String instanceId) {
    return dataDir.resolve("secrets").resolve("pulse").resolve(instanceId);
  }

  private static SandboxSpec spec(String function) {
    return new SandboxSpec(function, 1, image, List.of(), 0, Map.of(), new Resources(250, 64), 0);
  }

  private static String get(String host, int port, String path) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://" + host + ":" + port + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET " + path).isEqualTo(200);
    return response.body();
  }

  private static void assertNothingLeft() {
    assertNothingLeft(inspector);
  }

  private static void assertNothingLeft(ContainerdClient inspector) {
    assertThat(inspector.containers().list(ListContainersRequest.getDefaultInstance()).getContainersList()).isEmpty();
    assertThat(inspector.tasks().list(ListTasksRequest.getDefaultInstance()).getTasksList()).isEmpty();
    List<String> active = new ArrayList<>();
    inspector.snapshots(null).list(ListSnapshotsRequest.newBuilder().setSnapshotter("overlayfs").build())
        .forEachRemaining(page -> page.getInfoList().stream().filter(i -> i.getKind() == Kind.ACTIVE)
            .forEach(i -> active.add(i.getName())));
    assertThat(active).isEmpty();
  }

  @Test
  void create_hostNetwork_servesThenDeleteLeavesNothing() throws Exception {
    ContainerdSandboxRuntime runtime = new ContainerdSandboxRuntime(settings("host"));
    try {
      runtime.recover().toCompletableFuture().join();
      CreatedSandbox created = runtime.create("fn-a-1", SandboxKind.REGULAR, spec("fn-a"))
          .toCompletableFuture().join();

      Sandbox sandbox = created.sandbox();
      assertThat(sandbox.state()).isEqualTo(SandboxState.READY);
      assertThat(get("127.0.0.1", sandbox.endpoint().port(), "/")).isEqualTo(TestImages.PAGE);
      assertThat(get("127.0.0.1", sandbox.endpoint().port(), "/cgi-bin/hello")).contains("hello from fn-a-1");
      assertThat(created.timings().imageMicros()).isPositive();
      assertThat(created.timings().startMicros()).isPositive();
      assertThat(inspector.containers().list(ListContainersRequest.getDefaultInstance()).getContainersList())
          .extracting(c -> c.getLabelsMap().get("io.pulse.function")).containsExactly("fn-a");
      // What a function prints may be secret: its logs are for the worker's user only.
      Path logs = dataDir.resolve("instances/fn-a-1");
      assertThat(List.of(dataDir.resolve("instances"), logs)).extracting(Processes::permissions)
          .containsOnly("rwx------");
      assertThat(List.of(logs.resolve(TaskOutput.LOG), logs.resolve(TaskOutput.FIFO)))
          .extracting(Processes::permissions).containsOnly("rw-------");

      assertThat(runtime.delete("fn-a-1").toCompletableFuture().join()).isTrue();
      assertThat(runtime.list()).isEmpty();
      assertThat(logs).doesNotExist();
      assertNothingLeft();
    } finally {
      runtime.close().toCompletableFuture().join();
    }
  }

  /** crun (the default where it can run): the shim drives crun, the sandbox serves, nothing is left. */
  @Test
  void create_withCrun_theShimDrivesCrun_servesThenDeleteLeavesNothing() throws Exception {
    Assumptions.assumeTrue(OciRuntime.CRUN.unusableBecause().isEmpty(),
        () -> "crun cannot run here: " + OciRuntime.CRUN.unusableBecause().orElse(""));
    assertThat(createServeDelete(OciRuntime.CRUN, "fn-c")).contains("\"binary_name\":\"crun\"");
  }

  /** runc (--oci-runtime runc): the shim's own default, given no binary name. */
  @Test
  void create_withRunc_theShimDrivesRunc_servesThenDeleteLeavesNothing() throws Exception {
    assertThat(createServeDelete(OciRuntime.RUNC, "fn-r")).doesNotContain("crun");
  }

  /** Creates one sandbox of {@code function} with {@code oci}; answers the options the shim kept beside its bundle. */
  private String createServeDelete(OciRuntime oci, String function) throws Exception {
    ContainerdSandboxRuntime runtime = new ContainerdSandboxRuntime(settings("host").withOciRuntime(oci));
    String id = function + "-1";
    try {
      runtime.recover().toCompletableFuture().join();
      Sandbox sandbox = runtime.create(id, SandboxKind.REGULAR, spec(function)).toCompletableFuture().join()
          .sandbox();
      assertThat(get("127.0.0.1", sandbox.endpoint().port(), "/cgi-bin/hello")).contains("hello from " + id);
      String options;
      try (var files = Files.walk(containerd.dir().resolve("state"))) {
        List<Path> found = files.filter(f -> f.getFileName().toString().equals("options.json")
            && f.getParent().getFileName().toString().equals(id)).toList();
        options = found.isEmpty() ? "" : Files.readString(found.getFirst());
      }
      assertThat(runtime.delete(id).toCompletableFuture().join()).isTrue();
      assertNothingLeft();
      return options;
    } finally {
      runtime.close().toCompletableFuture().join();
    }
  }

  @Test
  void logs_taskStdoutAndStderr_areReadBackStampedEachStreamInOrder() throws Exception {
    ContainerdSandboxRuntime runtime = new ContainerdSandboxRuntime(settings("host"));
    try {
      runtime.recover().toCompletableFuture().join();
      long before = System.currentTimeMillis();
      runtime.create("fn-log-1", SandboxKind.EMERGENCY, new SandboxSpec("fn-log", 1, image, List.of("/bin/sh", "-c",
          "echo first-to-stdout; echo then-to-stderr >&2; echo last-to-stdout; exec httpd -f -p ${PORT} -h /www"),
          0, Map.of(), new Resources(250, 64), 0)).toCompletableFuture().join();

      await().atMost(Duration.ofSeconds(20)).until(() -> texts(runtime, "fn-log-1", 10).size() == 3);
      List<LogLine> lines = runtime.logs("fn-log-1", new LogQuery(10, 0)).toCompletableFuture().join().orElseThrow();
      // The shim copies stdout and stderr from two pipes: each stream's order is kept, not the order between them.
      assertThat(lines).extracting(LogLine::text)
          .containsExactlyInAnyOrder("first-to-stdout", "then-to-stderr", "last-to-stdout");
      assertThat(lines).extracting(LogLine::text).filteredOn(text -> text.endsWith("stdout"))
          .containsExactly("first-to-stdout", "last-to-stdout");
      assertThat(lines).allSatisfy(line -> assertThat(line.timeMs()).isBetween(before, System.currentTimeMillis()));
      assertThat(texts(runtime, "fn-log-1", 1)).containsExactly(lines.getLast().text());
      assertThat(runtime.logs("fn-nobody-1", new LogQuery(10, 0)).toCompletableFuture().join()).isEmpty();
      runtime.delete("fn-log-1").toCompletableFuture().join();
      assertThat(runtime.logs("fn-log-1", new LogQuery(10, 0)).toCompletableFuture().join()).isEmpty();
    } finally {
      runtime.close().toCompletableFuture().join();
    }
  }

  @Test
  void logs_ofATaskThatPrints100MB_stayWithinTheBoundAndKeepTheNewestLines() throws Exception {
    long bound = 1024 * 1024;
    ContainerdSandboxRuntime runtime = new ContainerdSandboxRuntime(settings("host").withLogMaxBytes(bound));
    try {
      runtime.recover().toCompletableFuture().join();
      // Serves first (httpd goes to the background), then prints: the creation does not wait for the printing.
      runtime.create("fn-loud-1", SandboxKind.REGULAR, new SandboxSpec("fn-loud", 1, image, List.of("/bin/sh", "-c",
          "httpd -p ${PORT} -h /www; busybox yes 'a line of output to fill the log' | head -c 104857600; echo;"
              + " echo last-marker; exec sleep 3600"), 0, Map.of(), new Resources(250, 64), 0))
          .toCompletableFuture().join();
      Path log = dataDir.resolve("instances/fn-loud-1").resolve(TaskOutput.LOG);

      await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500))
          .until(() -> texts(runtime, "fn-loud-1", 1).equals(List.of("last-marker")));
      assertThat(Files.size(log)).isLessThanOrEqualTo(bound);
      assertThat(Files.size(io.pulse.worker.sandbox.logs.RotatingLog.rotated(log))).isLessThanOrEqualTo(bound);
      // 104857600 bytes are 3177503 lines of 33 bytes and 1 more: head cut the last line there.
      assertThat(texts(runtime, "fn-loud-1", 3))
          .containsExactly("a line of output to fill the log", "a", "last-marker");
    } finally {
      runtime.close().toCompletableFuture().join();
    }
  }

  private static List<String> texts(ContainerdSandboxRuntime runtime, String id, int tail) {
    return runtime.logs(id, new LogQuery(tail, 0)).toCompletableFuture().join().orElseThrow().stream()
        .map(LogLine::text).toList();
  }

  @Test
  void create_withSecrets_readsThemFromAReadOnlyMountAndDeleteRemovesThemFromTheHost() throws Exception {
    ContainerdSandboxRuntime runtime = new ContainerdSandboxRuntime(settings("host"));
    try {
      runtime.recover().toCompletableFuture().join();
      int port = runtime.create("fn-s-1", SandboxKind.REGULAR, secretReader("fn-s")).toCompletableFuture().join()
          .sandbox().endpoint().port();

      assertThat(get("127.0.0.1", port, "/db")).isEqualTo(DB_PASSWORD);
      assertThat(get("127.0.0.1", port, "/env")).isEqualTo(API_KEY + "\n");
      assertThat(get("127.0.0.1", port, "/dir")).isEqualTo("/var/run/secrets/pulse\n");
      assertThat(get("127.0.0.1", port, "/write")).isEqualTo("read-only\n");
      assertThat(get("127.0.0.1", port, "/create")).isEqualTo("read-only\n");
      // On the host: root's only, in memory (the runtime mounted a tmpfs over the on-disk directory it was given).
      Path dir = secretsOf("fn-s-1");
      assertThat(Files.getFileStore(dir).type()).isEqualTo("tmpfs");
      assertThat(Processes.permissions(dir)).isEqualTo("rwx------");
      assertThat(List.of(dir.resolve("db"), dir.resolve("api-key"))).extracting(Processes::permissions)
          .containsOnly("r--------");
      assertThat(Files.getAttribute(dir.resolve("db"), "unix:uid")).isEqualTo(0);
      assertThat(Files.readString(dir.resolve("db"))).isEqualTo(DB_PASSWORD);

      assertThat(runtime.delete("fn-s-1").toCompletableFuture().join()).isTrue();
      assertThat(dir).doesNotExist();
      assertNothingLeft();
    } finally {
      runtime.close().toCompletableFuture().join();
    }
  }

  @Test
  void create_withSecretsThatFailsHalfWay_leavesNoSecretsBehind() {
    ContainerdSandboxRuntime runtime = new ContainerdSandboxRuntime(settings("host"));
    try {
      runtime.recover().toCompletableFuture().join();
      SandboxSpec failing = new SandboxSpec("fn-sf", 1, image, List.of("/bin/sh", "-c", "exit 3"), 0, Map.of(),
          Resources.NONE, 0).withSecrets(secrets());

      assertThatThrownBy(() -> runtime.create("fn-sf-1", SandboxKind.REGULAR, failing).toCompletableFuture().join())
          .cause().isInstanceOf(SandboxException.class)
          .satisfies(e -> assertThat(((SandboxException) e).reason()).isEqualTo(SandboxException.Reason.START_FAILED));
      assertThat(secretsOf("fn-sf-1")).doesNotExist();
      assertThat(secretsOf("fn-sf-1").getParent()).isEmptyDirectory();
      assertNothingLeft();
    } finally {
      runtime.close().toCompletableFuture().join();
    }
  }

  @Test
  void recover_removesTheSecretsOfEveryOrphanAndKeepsThoseOfAdoptedSandboxes() throws Exception {
    ContainerdSandboxRuntime first = new ContainerdSandboxRuntime(settings("host"));
    first.recover().toCompletableFuture().join();
    int kept = first.create("fn-sr-1", SandboxKind.REGULAR, secretReader("fn-sr")).toCompletableFuture().join()
        .sandbox().endpoint().port();
    int dying = first.create("fn-sr-2", SandboxKind.REGULAR, secretReader("fn-sr")).toCompletableFuture().join()
        .sandbox().endpoint().port();
    // The worker "dies"; one sandbox's process dies too, and a creation had written secrets but made no container.
    inspector.tasks().kill(io.pulse.worker.sandbox.containerd.api.KillRequest.newBuilder().setContainerId("fn-sr-2")
        .setSignal(9).setAll(true).build());
    await().atMost(Duration.ofSeconds(20)).until(() -> !Readiness.accepts("127.0.0.1", dying));
    Path ghost = Files.createDirectory(secretsOf("fn-sr-ghost"));
    Files.writeString(ghost.resolve("db"), DB_PASSWORD);

    ContainerdSandboxRuntime second = new ContainerdSandboxRuntime(settings("host"));
    try {
      assertThat(second.recover().toCompletableFuture().join()).extracting(Sandbox::instanceId)
          .containsExactly("fn-sr-1");

      assertThat(secretsOf("fn-sr-2")).doesNotExist();
      assertThat(ghost).doesNotExist();
      assertThat(Files.readString(secretsOf("fn-sr-1").resolve("db"))).isEqualTo(DB_PASSWORD);
      assertThat(get("127.0.0.1", kept, "/db")).isEqualTo(DB_PASSWORD);
      assertThat(second.delete("fn-sr-1").toCompletableFuture().join()).isTrue();
      assertThat(secretsOf("fn-sr-1").getParent()).isEmptyDirectory();
    } finally {
      second.close().toCompletableFuture().join();
      first.close().toCompletableFuture().join();
    }
    assertNothingLeft();
  }

  @Test
  void create_memoryHogOverItsLimit_isKilledByItsCgroupAndOthersKeepServing() throws Exception {
    ContainerdSandboxRuntime runtime = new ContainerdSandboxRuntime(settings("host"));
    try {
      runtime.recover().toCompletableFuture().join();
      CreatedSandbox healthy = runtime.create("fn-ok-1", SandboxKind.REGULAR, spec("fn-ok"))
          .toCompletableFuture().join();
      SandboxSpec hog = new SandboxSpec("fn-hog", 1, image, List.of("/bin/sh", "-c",
          "x=$(head -c 100000000 /dev/zero | tr '\\0' a); exec httpd -f -p ${PORT} -h /www"), 0, Map.of(),
          new Resources(250, 32), 0);

      assertThatThrownBy(() -> runtime.create("fn-hog-1", SandboxKind.REGULAR, hog).toCompletableFuture().join())
          .isInstanceOf(CompletionException.class)
          .cause().isInstanceOf(SandboxException.class)
          .hasMessageContaining("oom")
          .satisfies(e -> assertThat(((SandboxException) e).reason()).isEqualTo(SandboxException.Reason.START_FAILED));

      assertThat(runtime.find("fn-hog-1")).isEmpty();
      assertThat(get("127.0.0.1", healthy.sandbox().endpoint().port(), "/")).isEqualTo(TestImages.PAGE);

      // A ready sandbox whose process later grows past its limit is listed EXITED, reason OOM_KILLED.
      SandboxSpec lateHog = new SandboxSpec("fn-hog", 1, image, List.of("/bin/sh", "-c",
          "trap 'x=$(head -c 100000000 /dev/zero | tr \"\\0\" a)' USR1; httpd -p ${PORT} -h /www; "
              + "while :; do sleep 1; done"), 0, Map.of(), new Resources(250, 32), 0);
      runtime.create("fn-hog-2", SandboxKind.REGULAR, lateHog).toCompletableFuture().join();
      inspector.tasks().kill(io.pulse.worker.sandbox.containerd.api.KillRequest.newBuilder()
          .setContainerId("fn-hog-2").setSignal(10).build());
      await().atMost(Duration.ofSeconds(30)).until(() -> runtime.find("fn-hog-2").map(Sandbox::state)
          .orElse(null) == SandboxState.EXITED);
      SandboxExit exit = runtime.find("fn-hog-2").orElseThrow().exit();
      assertThat(exit).isNotNull();
      assertThat(exit.reason()).isEqualTo(SandboxExit.Reason.OOM_KILLED);
      assertThat(exit.exitCode()).isEqualTo(137);
      assertThat(exit.message()).contains("32 MiB");
      assertThat(io.pulse.worker.service.SandboxProtos.info(runtime.find("fn-hog-2").orElseThrow()).getExit()
          .getReason()).isEqualTo(io.pulse.api.v1.ExitReason.EXIT_REASON_OOM_KILLED);

      // One killed by a signal that is no OOM kill says KILLED.
      inspector.tasks().kill(io.pulse.worker.sandbox.containerd.api.KillRequest.newBuilder()
          .setContainerId("fn-ok-1").setSignal(9).setAll(true).build());
      await().atMost(Duration.ofSeconds(30)).until(() -> runtime.find("fn-ok-1").map(Sandbox::state)
          .orElse(null) == SandboxState.EXITED);
      assertThat(runtime.find("fn-ok-1").orElseThrow().exit()).isNotNull()
          .satisfies(e -> assertThat(e.reason()).isEqualTo(SandboxExit.Reason.KILLED))
          .satisfies(e -> assertThat(e.exitCode()).isEqualTo(137));
      runtime.delete("fn-hog-2").toCompletableFuture().join();
      runtime.delete("fn-ok-1").toCompletableFuture().join();
      assertNothingLeft();
    } finally {
      runtime.close().toCompletableFuture().join();
    }
  }

  @Test
  void recover_afterWorkerDied_adoptsRunningAndRemovesTheRest() throws Exception {
    ContainerdSandboxRuntime first = new ContainerdSandboxRuntime(settings("host"));
    first.recover().toCompletableFuture().join();
    Sandbox kept = first.create("fn-r-1", SandboxKind.REGULAR, spec("fn-r")).toCompletableFuture().join().sandbox();
    Sandbox dying = first.create("fn-r-2", SandboxKind.EMERGENCY, spec("fn-r")).toCompletableFuture().join()
        .sandbox();
    // The worker "dies": nothing is deleted. Then one sandbox's process dies while nobody watches.
    inspector.tasks().kill(io.pulse.worker.sandbox.containerd.api.KillRequest.newBuilder().setContainerId("fn-r-2")
        .setSignal(9).setAll(true).build());
    await().atMost(Duration.ofSeconds(20)).until(() -> !io.pulse.worker.sandbox.containerd.Readiness
        .accepts("127.0.0.1", dying.endpoint().port()));

    ContainerdSandboxRuntime second = new ContainerdSandboxRuntime(settings("host"));
    try {
      List<Sandbox> adopted = second.recover().toCompletableFuture().join();

      assertThat(adopted).extracting(Sandbox::instanceId).containsExactly("fn-r-1");
      assertThat(adopted.getFirst().endpoint()).isEqualTo(kept.endpoint());
      assertThat(adopted.getFirst().kind()).isEqualTo(SandboxKind.REGULAR);
      assertThat(get("127.0.0.1", kept.endpoint().port(), "/")).isEqualTo(TestImages.PAGE);
      assertThat(inspector.containers().list(ListContainersRequest.getDefaultInstance()).getContainersList())
          .extracting(c -> c.getId()).containsExactly("fn-r-1");
    } finally {
      second.close().toCompletableFuture().join();
      first.close().toCompletableFuture().join();
    }
    assertNothingLeft();
  }

  @Test
  void create_cniBridge_servesOnItsOwnAddressAndReleasesIt() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/lib/cni/bridge")),
        "CNI test skipped: containernetworking-plugins is not installed");
    // A namespace and subnet of this test's own, not the defaults a real worker on this machine may use.
    String namespace = "pulse-cni";
    String subnet = "10.88.249.0/28";
    ContainerdSandboxRuntime runtime = new ContainerdSandboxRuntime(settings("cni").withNamespace(namespace)
        .withCniSubnet(subnet));
    try (ContainerdClient cniInspector = ContainerdClient.connect(containerd.socket(), namespace, 10_000)) {
      runtime.recover().toCompletableFuture().join();
      for (int i = 0; i < 3; i++) {
        Sandbox sandbox = runtime.create("fn-c-" + i, SandboxKind.REGULAR, spec("fn-c")).toCompletableFuture()
            .join().sandbox();
        assertThat(sandbox.endpoint().host()).startsWith("10.88.249.");
        assertThat(sandbox.endpoint().port()).isEqualTo(8080);
        assertThat(get(sandbox.endpoint().host(), 8080, "/")).isEqualTo(TestImages.PAGE);
        runtime.delete("fn-c-" + i).toCompletableFuture().join();
      }
      assertThat(new io.pulse.worker.cni.CniBridge(Path.of("/usr/lib/cni"),
          io.pulse.worker.cni.CniBridge.networkName(namespace), io.pulse.worker.cni.CniBridge.bridgeName(namespace),
          subnet, true, dataDir.resolve("cni")).holders()).isEmpty();
      assertNothingLeft(cniInspector);
    } finally {
      runtime.close().toCompletableFuture().join();
    }
  }

  /** A published image as it is: it ignores $PORT and listens on 8080, which the spec says. */
  private static SandboxSpec fixedPort(String function) {
    return new SandboxSpec(function, 1, image, List.of("/bin/sh", "-c", "exec httpd -f -p 8080 -h /www"), 8080,
        Map.of(), new Resources(250, 64), 0);
  }

  @Test
  void create_fixedPortOnTheHostNetwork_isRefusedAtOnceSayingWhyAndWhatToDo() {
    // A readiness timeout this test would hit (and fail on with NOT_READY_IN_TIME) if the spec were tried at all.
    long readinessMs = 5_000;
    ContainerdSandboxRuntime runtime = new ContainerdSandboxRuntime(settings("host")
        .withDefaultReadinessTimeoutMs(readinessMs));
    try {
      runtime.recover().toCompletableFuture().join();
      long started = System.nanoTime();

      assertThatThrownBy(() -> runtime.create("fn-f-1", SandboxKind.REGULAR, fixedPort("fn-f")).toCompletableFuture()
          .join())
          .cause().isInstanceOf(SandboxException.class)
          .hasMessageContaining("fixed port 8080").hasMessageContaining("host networking")
          .hasMessageContaining("--network cni")
          .satisfies(e -> assertThat(((SandboxException) e).reason()).isEqualTo(SandboxException.Reason.INVALID_SPEC));
      System.out.printf("fixed port on the host network refused in %d ms (readiness timeout %d ms)%n",
          (System.nanoTime() - started) / 1_000_000, readinessMs);
      assertThat(runtime.list()).isEmpty();
      assertNothingLeft();
    } finally {
      runtime.close().toCompletableFuture().join();
    }
  }

  @Test
  void recover_runningContainerWhoseAddressWasReleased_isRemovedNotFatal() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/lib/cni/bridge")),
        "CNI test skipped: containernetworking-plugins is not installed");
    String namespace = "pulse-cnirec";
    String subnet = "10.88.249.32/28";
    ContainerdSandboxRuntime first = new ContainerdSandboxRuntime(settings("cni").withNamespace(namespace)
        .withCniSubnet(subnet));
    io.pulse.worker.cni.CniBridge bridge = new io.pulse.worker.cni.CniBridge(Path.of("/usr/lib/cni"),
        io.pulse.worker.cni.CniBridge.networkName(namespace), io.pulse.worker.cni.CniBridge.bridgeName(namespace),
        subnet, true, dataDir.resolve("cni"));
    try (ContainerdClient cniInspector = ContainerdClient.connect(containerd.socket(), namespace, 10_000)) {
      first.recover().toCompletableFuture().join();
      first.create("fn-a-1", SandboxKind.REGULAR, spec("fn-a")).toCompletableFuture().join();
      // The worker dies in a teardown after the address was released and before the container was deleted.
      bridge.del("fn-a-1", "");
      assertThat(bridge.holders()).isEmpty();

      ContainerdSandboxRuntime second = new ContainerdSandboxRuntime(settings("cni").withNamespace(namespace)
          .withCniSubnet(subnet));
      try {
        assertThat(second.recover().toCompletableFuture().join()).isEmpty();
        assertNothingLeft(cniInspector);
      } finally {
        second.close().toCompletableFuture().join();
      }
    } finally {
      first.close().toCompletableFuture().join();
    }
  }

  @Test
  void create_fixedPortOnCni_twoSandboxesOfOneFunctionBothAnswer() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/lib/cni/bridge")),
        "CNI test skipped: containernetworking-plugins is not installed");
    String namespace = "pulse-fixed";
    ContainerdSandboxRuntime runtime = new ContainerdSandboxRuntime(settings("cni").withNamespace(namespace)
        .withCniSubnet("10.88.249.16/28"));
    try (ContainerdClient cniInspector = ContainerdClient.connect(containerd.socket(), namespace, 10_000)) {
      runtime.recover().toCompletableFuture().join();
      Sandbox first = runtime.create("fn-p-1", SandboxKind.REGULAR, fixedPort("fn-p")).toCompletableFuture().join()
          .sandbox();
      Sandbox second = runtime.create("fn-p-2", SandboxKind.REGULAR, fixedPort("fn-p")).toCompletableFuture().join()
          .sandbox();

      assertThat(first.endpoint().host()).isNotEqualTo(second.endpoint().host());
      assertThat(List.of(first.endpoint().port(), second.endpoint().port())).containsOnly(8080);
      assertThat(get(first.endpoint().host(), 8080, "/cgi-bin/hello")).contains("hello from fn-p-1");
      assertThat(get(second.endpoint().host(), 8080, "/cgi-bin/hello")).contains("hello from fn-p-2");
      runtime.delete("fn-p-1").toCompletableFuture().join();
      runtime.delete("fn-p-2").toCompletableFuture().join();
      assertNothingLeft(cniInspector);
    } finally {
      runtime.close().toCompletableFuture().join();
    }
  }

  @Test
  void cni_manyMoreCyclesThanThePoolHasAddresses_leaksNoAddressAndNoRule() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/lib/cni/bridge")),
        "CNI test skipped: containernetworking-plugins is not installed");
    // A namespace (hence bridge) and a /27 of its own per run: two runs on one host (a developer's and CI's) must not
    // share a bridge or hand out each other's addresses, which would make both slow and wrong.
    java.util.Random random = new java.util.Random();
    String namespace = "lk" + Long.toString(random.nextLong(36L * 36 * 36 * 36 * 36 * 36), 36);
    int block = random.nextInt(512);
    String prefix = "10.88." + (128 + block / 8) + ".";
    String subnet = prefix + (block % 8 * 32) + "/27";
    int parallel = 4;
    // -Dpulse.cniLeakCycles=N: create/delete cycles per thread (default 30; 500 gives the 2000-cycle figure of README).
    int cyclesEach = Integer.getInteger("pulse.cniLeakCycles", 30);
    // This test is about leaks, not speed: the readiness bound is generous because 120 network namespaces torn down
    // on 2 busy cores (plus whatever else churns namespaces on the machine) can stall the host's netlink for ~20 s.
    ContainerdSandboxRuntime runtime = new ContainerdSandboxRuntime(settings("cni").withNamespace(namespace)
        .withCniSubnet(subnet).withStopGraceMs(100).withDefaultReadinessTimeoutMs(90_000));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(parallel);
    try (ContainerdClient leakInspector = ContainerdClient.connect(containerd.socket(), namespace, 10_000)) {
      runtime.recover().toCompletableFuture().join();
      long startedNanos = System.nanoTime();
      List<java.util.concurrent.Future<Integer>> runs = new ArrayList<>();
      for (int w = 0; w < parallel; w++) {
        int worker = w;
        runs.add(pool.submit(() -> {
          for (int i = 0; i < cyclesEach; i++) {
            String id = "leak-" + worker + "-" + i;
            Sandbox sandbox = runtime.create(id, SandboxKind.EMERGENCY, spec("fn-leak")).toCompletableFuture()
                .join().sandbox();
            assertThat(sandbox.endpoint().host()).startsWith(prefix);
            assertThat(runtime.delete(id).toCompletableFuture().join()).isTrue();
          }
          return cyclesEach;
        }));
      }
      int cycles = 0;
      for (var run : runs) {
        cycles += run.get(5L * Math.max(1, cyclesEach / 30), java.util.concurrent.TimeUnit.MINUTES);
      }

      // A /27 holds 29 sandbox addresses: 120 creations succeed only if every deletion gave its address back.
      assertThat(cycles).isEqualTo(parallel * cyclesEach).isGreaterThan(100);
      Path ipam = dataDir.resolve("cni").resolve("pulse-" + namespace);
      try (var files = Files.list(ipam)) {
        List<String> left = files.map(f -> f.getFileName().toString()).filter(n -> n.matches("[0-9.]+")).toList();
        System.out.printf("CNI leak test: %d create/delete cycles (%d threads) in %d s, addresses left: %d%n", cycles,
            parallel, (System.nanoTime() - startedNanos) / 1_000_000_000, left.size());
        assertThat(left).as("addresses host-local still holds").isEmpty();
      }
      assertThat(leakInspector.containers().list(ListContainersRequest.getDefaultInstance()).getContainersList())
          .isEmpty();
      assertThat(leakInspector.tasks().list(ListTasksRequest.getDefaultInstance()).getTasksList()).isEmpty();
      if (ContainerdHarness.which("iptables").isPresent()) {
        Process rules = new ProcessBuilder("iptables", "-t", "nat", "-S").redirectErrorStream(true).start();
        String text = new String(rules.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        rules.waitFor();
        // One masquerading rule for the subnet, none per sandbox.
        assertThat(text.lines().filter(l -> l.contains("-s " + subnet)).toList()).as("nat rules naming our subnet")
            .singleElement().asString().contains("-s " + subnet).contains("MASQUERADE");
      }
    } finally {
      pool.shutdownNow();
      runtime.close().toCompletableFuture().join();
    }
  }

  @Test
  void create_missingImage_failsClearlyAndLeavesNothing() {
    ContainerdSandboxRuntime runtime = new ContainerdSandboxRuntime(settings("host"));
    try {
      runtime.recover().toCompletableFuture().join();
      SandboxSpec missing = new SandboxSpec("fn-m", 1, registry.host() + "/pulse/missing:v1", List.of(), 0,
          Map.of(), Resources.NONE, 0);

      assertThatThrownBy(() -> runtime.create("fn-m-1", SandboxKind.REGULAR, missing).toCompletableFuture().join())
          .cause().isInstanceOf(SandboxException.class).hasMessageContaining("HTTP 404")
          .satisfies(e -> assertThat(((SandboxException) e).reason()).isEqualTo(SandboxException.Reason.INVALID_SPEC));
      assertThat(runtime.list()).isEmpty();
      assertNothingLeft();
    } finally {
      runtime.close().toCompletableFuture().join();
    }
  }
}
